// Deflection: answered community questions matching what the customer types, shown before
// they chat or post. "This solved it" records the verdict and opens the answer; going on to
// chat or post after suggestions were shown records "need_help". Used by the ask form and
// the chat widget (each page names the program, the source and the elements).
const WAIT_MS = 350; // after the last keystroke

export function setUpSuggestions({ program, source, input, list, form, csrf = "" }) {
  if (!program || !input || !list) return;
  let timer = null;
  let shown = false;
  let asked = "";

  async function record(outcome, questionId) {
    const body = { program, source, outcome, query: asked.slice(0, 200) };
    if (questionId) body.question_id = questionId;
    try {
      await fetch("/api/v1/community/deflections", {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body),
      });
    } catch { /* a lost verdict must never stop the customer */ }
  }

  function item(hit) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = hit.url;
    link.target = source === "chat" ? "_blank" : "_self";
    link.rel = "noopener";
    link.textContent = hit.title; // text, never HTML
    const solved = document.createElement("button");
    solved.type = "button";
    solved.className = "link solved";
    solved.textContent = "This solved it";
    solved.addEventListener("click", async () => {
      shown = false;
      await record("solved", hit.question_id);
      list.replaceChildren(Object.assign(document.createElement("li"), {
        className: "thanks", textContent: "Glad it helped. The answer is open in the link above.",
      }));
      list.prepend(li);
      li.querySelector("button")?.remove();
      if (source !== "chat") window.location.assign(hit.url);
    });
    li.append(link, " ", solved);
    return li;
  }

  async function lookUp() {
    asked = input.value.trim();
    if (asked.length < 3) { list.replaceChildren(); list.hidden = true; shown = false; return; }
    const url = `/api/v1/community/search?program=${encodeURIComponent(program)}&q=${encodeURIComponent(asked.slice(0, 200))}&limit=5&match=any`;
    const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
    if (!response || !response.ok) return;
    const hits = (await response.json()).items.filter((hit) => hit.answered);
    list.replaceChildren(...hits.map(item));
    list.hidden = hits.length === 0;
    shown = hits.length > 0;
  }

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(lookUp, WAIT_MS); });
  if (form) {
    form.addEventListener("submit", () => { if (shown) { shown = false; record("need_help"); } });
  }
}
