"""The simulated world: firms, their life events and latent traits, before any source sees them."""
