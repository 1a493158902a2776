"""Rating agencies: credit ratings of firms with date, agency and fee."""
