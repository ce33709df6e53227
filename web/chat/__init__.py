"""Chat over Socket.IO: the customer web widget (/chat namespace and page) and agents' chat
replies (/agent namespace, authenticated from the login session)."""
