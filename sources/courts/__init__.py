"""Courts: one document per case with its parties, and the 失信被执行人 (dishonest debtor) list."""
