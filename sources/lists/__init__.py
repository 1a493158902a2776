"""Lists and programmes: certificates, high-growth lists, talents, incubators, association picks."""
