"""Tax bureau: annual revenue and tax paid per firm and fiscal year, with the tax office."""
