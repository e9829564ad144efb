"""The eu_ai_act pack: checks of what the EU AI Act (Regulation (EU) 2024/1689) asks an
operator to be able to show, beyond what ISO/IEC 42001 asks (the folder's name is a
Python package name; its checks cite the Act as eu-ai-act in their requirements)."""
