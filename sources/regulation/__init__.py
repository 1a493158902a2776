"""Market-regulation lists: abnormal operations, serious illegal and dishonest firms, penalties."""
