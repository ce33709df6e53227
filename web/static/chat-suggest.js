// The chat widget's deflection: answered community questions matching "How can we help?",
// shown before the customer starts a chat (chat.js itself is untouched).
import { setUpSuggestions } from "./community-suggest.js";

const root = document.getElementById("chat");
setUpSuggestions({
  program: root.dataset.program, source: "chat", form: document.getElementById("start"),
  input: document.getElementById("first"), list: document.getElementById("suggestions"),
});
