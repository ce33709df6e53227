"""The agent console: its page, its JSON reads and actions, the whole /agent Socket.IO
namespace (offers, chats, call controls) and console presence."""
