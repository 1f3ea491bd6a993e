// The agent workspace in the browser: live updates over the agent websocket, who else is
// viewing or typing, keyboard shortcuts, bulk selection, drafts and @mention suggestions.
// Every page works without this file; it only makes the pages quicker to work with.

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
const agentHeader = () => document.querySelector("[data-agent-socket]");
const myAgentId = () => Number(agentHeader()?.dataset.agentId || 0);

// --- The agent websocket: one per tab, reconnecting, events as DOM events ---------------------
let socket = null;
let socketRetry = 1000;
const outbox = [];

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  else outbox.push(message);
}

function connect() {
  const header = agentHeader();
  if (!header || !window.WebSocket) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}${header.dataset.agentSocket}`);
  socket.addEventListener("open", () => {
    socketRetry = 1000;
    while (outbox.length) socket.send(JSON.stringify(outbox.shift()));
    document.dispatchEvent(new CustomEvent("balie:connected"));
  });
  socket.addEventListener("message", (event) => {
    let payload;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    document.dispatchEvent(new CustomEvent("balie:event", { detail: payload }));
  });
  socket.addEventListener("close", () => {
    socket = null;
    setTimeout(connect, socketRetry);
    socketRetry = Math.min(socketRetry * 2, 30000);
  });
}

setInterval(() => send({ type: "ping" }), 20000);

// --- Swapping parts of a page with a fresh copy from the server -------------------------------
// A live refresh never pulls a menu or a field out from under the agent's hands (`force` is
// for the agent's own action, whose result they want to see).
function replaceParts(html, ids, { force = false } = {}) {
  const fresh = new DOMParser().parseFromString(html, "text/html");
  for (const id of ids) {
    const current = document.getElementById(id);
    const next = fresh.getElementById(id);
    if (!current || !next) continue;
    const busy = current.contains(document.activeElement) || current.querySelector("details[open]");
    if (busy && !force && id !== "thread") continue;
    current.replaceWith(next);
    if (window.htmx) window.htmx.process(next);
  }
}

async function refreshConversation(ids = ["thread", "conversation-header", "conversation-sidebar"]) {
  const page = document.querySelector("[data-conversation]");
  if (!page) return;
  const thread = document.getElementById("thread");
  const nearBottom = thread && thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
  const response = await fetch(page.dataset.pageUrl + "?stay", { headers: { "X-Requested-With": "fetch" } });
  if (!response.ok) return;
  replaceParts(await response.text(), ids);
  if (nearBottom) scrollThreadToEnd();
}

function scrollThreadToEnd() {
  const thread = document.getElementById("thread");
  if (thread) thread.scrollTop = thread.scrollHeight;
}

// Forms of the conversation page post in the background and refresh what they changed, so a
// half-written reply never gets lost. The server answers with the page (after a redirect).
async function submitInBackground(form, submitter) {
  const body = new FormData(form);
  if (submitter?.name) body.append(submitter.name, submitter.value);
  const response = await fetch(form.action, {
    method: "POST",
    body,
    headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
  });
  const html = await response.text();
  const here = document.querySelector("[data-conversation]")?.dataset.pageUrl;
  if (response.redirected && new URL(response.url).pathname !== here) {
    location.assign(response.url); // the action took us to another conversation
    return false;
  }
  replaceParts(html, ["thread", "conversation-header", "conversation-sidebar"], { force: true });
  scrollThreadToEnd();
  // The server answers a refused action with the page and an error message in its header.
  return response.ok && !document.querySelector("#conversation-header .alert--error");
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const onConversation = form.closest("[data-conversation]");
  if (!onConversation || form.method.toLowerCase() !== "post") return;
  if (form.matches(".merge-form") || form.closest(".message__actions")) return; // full navigation
  event.preventDefault();
  const buttons = form.querySelectorAll("button[type=submit]");
  buttons.forEach((button) => (button.disabled = true));
  try {
    const ok = await submitInBackground(form, event.submitter);
    if (ok && form.matches("[data-composer-form]")) {
      const text = form.querySelector("textarea");
      form.reset();
      if (text) forgetDraft(text);
    }
  } catch {
    form.submit(); // offline or an unexpected answer: let the browser do it the plain way
  } finally {
    buttons.forEach((button) => (button.disabled = false));
  }
});

document.addEventListener("change", (event) => {
  const form = event.target.closest?.("form[data-autosubmit]");
  if (!form) return;
  // Forms outside a conversation (the presence switch) submit the plain way.
  if (form.closest("[data-conversation]")) form.requestSubmit();
  else form.submit();
});

// --- Live updates -----------------------------------------------------------------------------
let listRefresh = null;

document.addEventListener("balie:event", (event) => {
  const payload = event.detail || {};
  const page = document.querySelector("[data-conversation]");
  if (page && Number(page.dataset.conversationId) === payload.conversation_id) {
    if (payload.type === "message.created" || payload.type === "conversation.updated") refreshConversation();
  }
  if (document.querySelector("[data-inbox-list]") && /^(message|conversation)\./.test(payload.type || "")) {
    clearTimeout(listRefresh);
    listRefresh = setTimeout(refreshList, 800);
  }
  if (payload.type === "notification.created" && (payload.recipient_ids || []).includes(myAgentId())) bumpBell();
  if (payload.type === "collision") showCollision(payload);
});

function refreshList() {
  const list = document.querySelector("[data-inbox-list]");
  const anyChecked = document.querySelector("[data-row-check]:checked");
  const searching = document.activeElement?.matches?.("[data-search]");
  if (!list || anyChecked || searching || !window.htmx) return;
  window.htmx.ajax("GET", list.dataset.rowsUrl, { target: "#conversation-rows", swap: "outerHTML" });
}

function bumpBell() {
  const count = document.querySelector("[data-bell-count]");
  if (!count) return;
  count.textContent = String(Number(count.textContent || 0) + 1);
  count.hidden = false;
}

// --- Who else is here: viewing and typing ------------------------------------------------------
const others = new Map(); // agent id -> {name, state, until}
const VIEWING_MS = 50000;
const TYPING_MS = 8000;

function currentConversationId() {
  return Number(document.querySelector("[data-conversation]")?.dataset.conversationId || 0);
}

function announce(state) {
  const id = currentConversationId();
  if (id) send({ type: state, conversation_id: id });
}

function showCollision(payload) {
  if (payload.conversation_id !== currentConversationId() || payload.agent_id === myAgentId()) return;
  // Someone new arrived: say we are here too, so they need not wait for our next renewal.
  if (payload.state !== "left" && !others.has(payload.agent_id)) announce("viewing");
  if (payload.state === "left") others.delete(payload.agent_id);
  else {
    const ms = payload.state === "typing" ? TYPING_MS : VIEWING_MS;
    const known = others.get(payload.agent_id);
    // Typing implies viewing; once typing stops, the agent is still viewing.
    others.set(payload.agent_id, {
      name: payload.name,
      state: payload.state,
      until: Date.now() + ms,
      viewingUntil: Math.max(known?.viewingUntil || 0, Date.now() + VIEWING_MS),
    });
  }
  renderCollision();
}

function renderCollision() {
  const box = document.querySelector("[data-collision]");
  if (!box) return;
  const now = Date.now();
  const typing = [];
  const viewing = [];
  for (const [id, other] of others) {
    if (other.state === "typing" && other.until > now) typing.push(other.name);
    else if (other.viewingUntil > now) viewing.push(other.name);
    else others.delete(id);
  }
  const lang = document.documentElement.lang;
  const words = lang === "en"
    ? { typing: "is typing a reply…", typingMany: "are typing…", viewing: "is viewing this conversation", viewingMany: "are viewing this conversation", and: " and " }
    : { typing: "typt een antwoord…", typingMany: "typen…", viewing: "bekijkt dit gesprek", viewingMany: "bekijken dit gesprek", and: " en " };
  const parts = [];
  if (typing.length) parts.push(`${typing.join(words.and)} ${typing.length > 1 ? words.typingMany : words.typing}`);
  if (viewing.length) parts.push(`${viewing.join(words.and)} ${viewing.length > 1 ? words.viewingMany : words.viewing}`);
  box.textContent = parts.join(" · ");
  box.classList.toggle("conversation-header__collision--typing", typing.length > 0);
}

setInterval(renderCollision, 2000);

let lastTyping = 0;
document.addEventListener("input", (event) => {
  if (!event.target.closest?.("[data-composer]")) return;
  saveDraft(event.target);
  const now = Date.now();
  if (now - lastTyping > 3000) {
    lastTyping = now;
    announce("typing");
  }
});

// Composer boxes grow with what is written, up to the CSS max-height.
document.addEventListener("input", (event) => {
  const field = event.target;
  if (!field.matches?.("textarea[data-grow]")) return;
  field.style.height = "auto";
  field.style.height = `${field.scrollHeight + 2}px`;
});

// --- Drafts survive reloads and live refreshes -------------------------------------------------
function draftKey(field) {
  const composer = field.closest("[data-composer]");
  const form = field.closest("[data-composer-form]");
  return composer && form ? `${composer.dataset.draftKey}:${form.dataset.composerForm}` : "";
}

function saveDraft(field) {
  const key = draftKey(field);
  if (!key || !(field instanceof HTMLTextAreaElement)) return;
  try {
    if (field.value) localStorage.setItem(key, field.value);
    else localStorage.removeItem(key);
  } catch {
    /* private mode: no drafts */
  }
}

function forgetDraft(field) {
  const key = draftKey(field);
  try {
    if (key) localStorage.removeItem(key);
  } catch {
    /* private mode */
  }
}

function restoreDrafts() {
  for (const field of document.querySelectorAll("[data-composer] textarea")) {
    try {
      const saved = localStorage.getItem(draftKey(field));
      if (saved && !field.value) field.value = saved;
    } catch {
      /* private mode */
    }
  }
}

// --- Composer: reply or note, Ctrl+Enter sends --------------------------------------------------
function showComposer(mode, focus = true) {
  const composer = document.querySelector("[data-composer]");
  if (!composer) return;
  for (const tab of composer.querySelectorAll("[data-composer-tab]")) {
    tab.setAttribute("aria-selected", String(tab.dataset.composerTab === mode));
  }
  let shown = null;
  for (const form of composer.querySelectorAll("[data-composer-form]")) {
    form.hidden = form.dataset.composerForm !== mode;
    if (!form.hidden) shown = form;
  }
  if (focus) shown?.querySelector("textarea")?.focus();
}

document.addEventListener("click", (event) => {
  const tab = event.target.closest?.("[data-composer-tab]");
  if (tab) showComposer(tab.dataset.composerTab);
  if (event.target.closest?.("[data-shortcuts-open]")) document.getElementById("shortcuts")?.showModal();
});

document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && field.closest?.("[data-composer-form]")) {
    event.preventDefault();
    const form = field.closest("form");
    const resolve = event.shiftKey ? form.querySelector("[data-send-resolve]") : null;
    form.requestSubmit(resolve || undefined);
  }
});

// --- Macros: fill the reply box with a prepared answer -----------------------------------------
document.addEventListener("change", async (event) => {
  const select = event.target;
  if (!select.matches?.("[data-macro-select]") || !select.value) return;
  const form = select.closest("form");
  const text = form.querySelector("textarea");
  const response = await fetch(`${select.dataset.macroUrl}${select.value}/`, { headers: { "X-Requested-With": "fetch" } });
  if (!response.ok) return;
  const macro = await response.json();
  // Into the caret's place when something is written already, else the whole box.
  const at = text.value ? text.selectionStart : 0;
  text.value = text.value.slice(0, at) + macro.text + text.value.slice(text.selectionEnd);
  form.querySelector("[data-macro-used]").value = String(macro.macro_id);
  select.value = "";
  text.dispatchEvent(new Event("input", { bubbles: true }));
  text.focus();
});

// --- @mentions: suggestions while typing a note ------------------------------------------------
function candidates() {
  const script = document.getElementById("mention-candidates");
  try {
    return script ? JSON.parse(script.textContent) : [];
  } catch {
    return [];
  }
}

let mentionBox = null;
let mentionActive = 0;

function mentionQuery(field) {
  const before = field.value.slice(0, field.selectionStart);
  const match = /(?:^|[\s(])@([\w.-]{0,30})$/u.exec(before);
  return match ? match[1].toLowerCase() : null;
}

function closeMentions() {
  mentionBox?.remove();
  mentionBox = null;
  document.querySelector("[data-mentions]")?.removeAttribute("aria-activedescendant");
}

function openMentions(field, query) {
  const matches = candidates()
    .filter((c) => c.handle.toLowerCase().startsWith(query) || c.name.toLowerCase().includes(query))
    .slice(0, 6);
  if (!matches.length) return closeMentions();
  if (!mentionBox) {
    mentionBox = document.createElement("ul");
    mentionBox.className = "mention-box";
    mentionBox.id = "mention-box";
    mentionBox.setAttribute("role", "listbox");
    field.setAttribute("aria-controls", "mention-box");
    field.after(mentionBox);
  }
  mentionActive = Math.min(mentionActive, matches.length - 1);
  mentionBox.replaceChildren(
    ...matches.map((c, index) => {
      const item = document.createElement("li");
      item.id = `mention-${index}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", String(index === mentionActive));
      item.dataset.handle = c.handle;
      item.textContent = `${c.name} (@${c.handle})`;
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        insertMention(field, c.handle);
      });
      return item;
    }),
  );
  field.setAttribute("aria-activedescendant", `mention-${mentionActive}`);
}

function insertMention(field, handle) {
  const caret = field.selectionStart;
  const before = field.value.slice(0, caret).replace(/@([\w.-]{0,30})$/u, `@${handle} `);
  field.value = before + field.value.slice(caret);
  field.selectionStart = field.selectionEnd = before.length;
  closeMentions();
  saveDraft(field);
  field.focus();
}

document.addEventListener("input", (event) => {
  const field = event.target;
  if (!field.matches?.("[data-mentions]")) return;
  const query = mentionQuery(field);
  if (query === null) closeMentions();
  else openMentions(field, query);
});

document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (!mentionBox || !field.matches?.("[data-mentions]")) return;
  const items = mentionBox.querySelectorAll("[role=option]");
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    mentionActive = (mentionActive + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
    openMentions(field, mentionQuery(field) ?? "");
  } else if (event.key === "Enter" || event.key === "Tab") {
    event.preventDefault();
    insertMention(field, items[mentionActive].dataset.handle);
  } else if (event.key === "Escape") {
    closeMentions();
  }
});

// --- The list: selection and bulk actions ------------------------------------------------------
function updateSelection() {
  const checked = document.querySelectorAll("[data-row-check]:checked").length;
  const count = document.querySelector("[data-selected-count]");
  if (count) count.textContent = checked ? String(checked) : "";
  document.querySelector("[data-bulk]")?.classList.toggle("bulk-bar--active", checked > 0);
}

function showBulkField() {
  const action = document.querySelector("[data-bulk-action]")?.value;
  for (const field of document.querySelectorAll("[data-bulk-field]")) field.hidden = field.dataset.bulkField !== action;
}

document.addEventListener("change", (event) => {
  const target = event.target;
  if (target.matches?.("[data-select-all]")) {
    for (const box of document.querySelectorAll("[data-row-check]")) box.checked = target.checked;
  }
  if (target.matches?.("[data-row-check], [data-select-all]")) updateSelection();
  if (target.matches?.("[data-bulk-action]")) showBulkField();
});

document.addEventListener("htmx:afterSwap", () => {
  updateSelection();
  focusRow(-1);
});

// --- Keyboard shortcuts ------------------------------------------------------------------------
let rowIndex = -1;
let pendingG = false;

function rows() {
  return [...document.querySelectorAll("[data-row]")];
}

function focusRow(index) {
  const all = rows();
  rowIndex = Math.max(-1, Math.min(index, all.length - 1));
  all.forEach((row, i) => row.classList.toggle("conversation-row--focus", i === rowIndex));
  all[rowIndex]?.querySelector("[data-row-link]")?.focus();
}

function typingInField(target) {
  return target.closest?.("input, textarea, select, [contenteditable=true]") !== null && target !== document.body;
}

function click(selector) {
  const element = document.querySelector(selector);
  if (element) element.click();
  return Boolean(element);
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typingInField(event.target)) {
    if (event.key === "Escape") event.target.blur();
    return;
  }
  const key = event.key;
  if (pendingG) {
    pendingG = false;
    if (key === "i") location.assign(document.querySelector("[data-nav-inbox]")?.href || "/app/inbox/");
    return;
  }
  const onList = document.querySelector("[data-inbox-list]");
  const onConversation = document.querySelector("[data-conversation]");
  let handled = true;
  if (key === "?") document.getElementById("shortcuts")?.showModal();
  else if (key === "g") pendingG = true;
  else if (key === "/") {
    const search = document.querySelector("[data-search]");
    if (search) search.focus();
    else location.assign(document.querySelector("[data-nav-inbox]")?.href || "/app/inbox/");
  } else if (onList && (key === "j" || key === "k")) focusRow(rowIndex + (key === "j" ? 1 : -1));
  else if (onList && (key === "o" || key === "Enter") && rowIndex >= 0) rows()[rowIndex]?.querySelector("[data-row-link]")?.click();
  else if (onList && key === "x" && rowIndex >= 0) {
    const box = rows()[rowIndex]?.querySelector("[data-row-check]");
    if (box) {
      box.checked = !box.checked;
      updateSelection();
    }
  } else if (onConversation && key === "r" && document.querySelector('[data-composer-tab="reply"]')) showComposer("reply");
  else if (onConversation && key === "n") showComposer("note");
  else if (onConversation && key === "a") handled = click('[data-shortcut="a"]');
  else if (onConversation && key === "e") handled = click('[data-shortcut="e"]');
  else if (onConversation && key === "u") handled = click("[data-back-to-list]");
  else handled = false;
  if (handled) event.preventDefault();
});

// --- Start ------------------------------------------------------------------------------------
function start() {
  document.documentElement.classList.add("js");
  connect();
  restoreDrafts();
  showBulkField();
  if (document.querySelector("[data-conversation]")) {
    scrollThreadToEnd();
    announce("viewing");
    setInterval(() => announce("viewing"), 20000);
    document.addEventListener("balie:connected", () => announce("viewing"));
    window.addEventListener("pagehide", () => announce("left"));
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
