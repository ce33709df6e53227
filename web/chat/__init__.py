"""The customer's web chat widget: its page and the /chat Socket.IO namespace."""
