"""civicpulse: programme news and public indices, joined nightly."""
