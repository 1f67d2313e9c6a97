"""OAuth sign-in shared by both stores: the loopback listener, state nonces, the flows."""
