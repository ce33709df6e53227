// The ask form: suggestions from the community while the question's title is typed.
import { setUpSuggestions } from "./community-suggest.js";

const form = document.getElementById("ask-form");
setUpSuggestions({
  program: form.dataset.program, source: "ask", form, csrf: form.dataset.csrf,
  input: document.getElementById("title"), list: document.getElementById("suggestions"),
});
