"""Great Expectations suites as code: one module per suite under `expectations/suites/`."""
