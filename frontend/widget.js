// The shopper widget a shop embeds on its own site (README, "Widget"):
//   <script src="https://balie.example/static/web/dist/widget.js" data-balie-shop="pollepel"
//           data-balie-url="https://balie.example" defer></script>
// It fills every <div data-balie-faq data-page-type="…" data-category="…"> with the questions
// placed on this page, and adds a "Stel je vraag" button that opens a chat with the shop's
// assistant. Everything it adds has the `balie-` class prefix; the chat lives in a shadow
// root, so the shop's styles and ours never meet. Dutch, or English, German or French on a
// page in that language.
// When the assistant hands the shopper to a person who is available, the panel becomes a live
// chat: messages go to `bericht/`, and `gesprek/` is polled for the agent's replies while the
// page is visible. The conversation survives moving to another page of the shop (the tab's
// sessionStorage keeps it).

const script = document.currentScript || document.querySelector("script[data-balie-shop]");

const TEXTS = {
  nl: {
    ask: "Stel je vraag",
    close: "Sluiten",
    question: "Je vraag",
    placeholder: "Typ je vraag…",
    send: "Versturen",
    you: "Jij",
    assistant: "Assistent",
    welcome: "Hoi! Waar kan ik je mee helpen?",
    thinking: "Even zoeken…",
    faq: "Veelgestelde vragen",
    newTab: "(opent in een nieuw tabblad)",
    read: "Lees meer:",
    email: "Je e-mailadres",
    emailSend: "Doorgeven",
    expected: "Wanneer je antwoord krijgt:",
    failed: "Dat lukte niet. Probeer het zo nog eens.",
    busy: "Je stelt veel vragen kort na elkaar. Probeer het over een minuut opnieuw.",
    agent: "Medewerker",
    waiting: "Je chat nu met de klantenservice. Een collega komt zo bij je.",
    joined: "%s helpt je verder.",
    resolved: "Het gesprek is afgesloten. Typ gerust als je nog een vraag hebt.",
    chatPlaceholder: "Typ je bericht…",
    chatEmail: "Je e-mailadres (niet verplicht). Ben je weg voordat we antwoorden? Dan mailen we je.",
    mailNoted: "Dank je. Mis je een antwoord, dan mailen we het naar %s.",
    unread: "nieuw",
    message: "Je bericht",
  },
  en: {
    ask: "Ask a question",
    close: "Close",
    question: "Your question",
    placeholder: "Type your question…",
    send: "Send",
    you: "You",
    assistant: "Assistant",
    welcome: "Hi! How can I help you?",
    thinking: "Searching…",
    faq: "Frequently asked questions",
    newTab: "(opens in a new tab)",
    read: "Read more:",
    email: "Your email address",
    emailSend: "Send",
    expected: "When you will hear from us:",
    failed: "That did not work. Please try again in a moment.",
    busy: "You are asking many questions in a row. Please try again in a minute.",
    agent: "Agent",
    waiting: "You are now chatting with customer service. A colleague will be with you shortly.",
    joined: "%s is helping you now.",
    resolved: "This conversation has been closed. Just type if you have another question.",
    chatPlaceholder: "Type your message…",
    chatEmail: "Your email address (optional). Gone before we answer? Then we will email you.",
    mailNoted: "Thank you. If you miss an answer, we will email it to %s.",
    unread: "new",
    message: "Your message",
  },
  de: {
    ask: "Stell deine Frage",
    close: "Schließen",
    question: "Deine Frage",
    placeholder: "Schreib deine Frage…",
    send: "Senden",
    you: "Du",
    assistant: "Assistent",
    welcome: "Hallo! Wobei kann ich dir helfen?",
    thinking: "Ich suche…",
    faq: "Häufige Fragen",
    newTab: "(öffnet in einem neuen Tab)",
    read: "Mehr dazu:",
    email: "Deine E-Mail-Adresse",
    emailSend: "Absenden",
    expected: "Wann du eine Antwort bekommst:",
    failed: "Das hat leider nicht geklappt. Versuch es gleich noch einmal.",
    busy: "Du stellst viele Fragen kurz hintereinander. Versuch es in einer Minute noch einmal.",
    agent: "Kundenservice",
    waiting: "Du chattest jetzt mit unserem Kundenservice. Gleich ist jemand aus dem Team für dich da.",
    joined: "%s hilft dir weiter.",
    resolved: "Das Gespräch ist beendet. Schreib einfach, wenn du noch eine Frage hast.",
    chatPlaceholder: "Schreib deine Nachricht…",
    chatEmail: "Deine E-Mail-Adresse (optional). Bist du weg, bevor wir antworten? Dann schicken wir dir eine E-Mail.",
    mailNoted: "Danke! Falls du eine Antwort verpasst, schicken wir sie dir an %s.",
    unread: "neu",
    message: "Deine Nachricht",
  },
  fr: {
    ask: "Posez votre question",
    close: "Fermer",
    question: "Votre question",
    placeholder: "Saisissez votre question…",
    send: "Envoyer",
    you: "Vous",
    assistant: "Assistant",
    welcome: "Bonjour\u00a0! Comment puis-je vous aider\u00a0?",
    thinking: "Recherche en cours…",
    faq: "Questions fréquentes",
    newTab: "(s’ouvre dans un nouvel onglet)",
    read: "En savoir plus\u00a0:",
    email: "Votre adresse e-mail",
    emailSend: "Envoyer",
    expected: "Quand vous recevrez une réponse\u00a0:",
    failed: "Une erreur s’est produite. Veuillez réessayer dans un instant.",
    busy: "Vous posez beaucoup de questions à la suite. Veuillez réessayer dans une minute.",
    agent: "Conseiller",
    waiting: "Vous êtes en ligne avec le service client. Un conseiller va vous répondre dans un instant.",
    joined: "%s prend en charge votre demande.",
    resolved: "Cette conversation est terminée. N’hésitez pas à nous écrire si vous avez une autre question.",
    chatPlaceholder: "Saisissez votre message…",
    chatEmail: "Votre adresse e-mail (facultatif). Vous partez avant notre réponse\u00a0? Nous vous l’enverrons par e-mail.",
    mailNoted: "Merci\u00a0! Si vous manquez notre réponse, nous l’enverrons à %s.",
    unread: "nouveau",
    message: "Votre message",
  },
};

const pageLanguage = (document.documentElement.lang || "").toLowerCase();
const T = TEXTS[pageLanguage.slice(0, 2)] || TEXTS.nl;
// The page's language for the server (`nl`, `en`, `de`…), when it names one.
const locale = /^[a-z]{2}(-|$)/.test(pageLanguage) ? pageLanguage.slice(0, 2) : "";
const pageUrl = () => location.href.split("#")[0].slice(0, 2000);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function addStyles(target, css) {
  // Constructed sheets pass a shop's strict style-src; a <style> element is the fallback.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
  } catch {
    const style = element("style");
    style.textContent = css;
    (target === document ? document.head : target).append(style);
  }
}

function hiddenText(text) {
  return element("span", "balie-visually-hidden", text);
}

function articleLink(url, title, language, className) {
  const link = element("a", className, title);
  link.href = url;
  link.target = "_blank";
  link.rel = "noopener";
  if (language) link.lang = language;
  link.append(hiddenText(` ${T.newTab}`));
  return link;
}

const VISUALLY_HIDDEN = `.balie-visually-hidden { position: absolute !important; width: 1px;
  height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; border: 0; }`;

// --- The questions for this page --------------------------------------------------------------

// Only a sensible default (touch targets of 24px and more, WCAG 2.5.8): one class each, so the
// shop's own styles win over them.
const FAQ_CSS = `${VISUALLY_HIDDEN}
.balie-faq__list { margin: 0; padding-left: 1.25rem; }
.balie-faq__link { display: inline-block; min-height: 24px; padding: 0.25rem 0; }`;

async function fillFaq(root, box, number) {
  const query = new URLSearchParams({
    page_url: pageUrl(),
    page_type: box.dataset.pageType || "",
    category: box.dataset.category || "",
  });
  if (locale) query.set("locale", locale);
  const response = await fetch(`${root}faq/?${query}`, { credentials: "omit" });
  if (!response.ok) return;
  const { items } = await response.json();
  if (!items.length) return;
  const section = element("section", "balie-faq");
  const title = element("h2", "balie-faq__title", box.dataset.title || T.faq);
  title.id = `balie-faq-title-${number}`;
  section.setAttribute("aria-labelledby", title.id);
  const list = element("ul", "balie-faq__list");
  for (const item of items) {
    const entry = element("li", "balie-faq__item");
    entry.append(articleLink(item.url, item.title, item.locale, "balie-faq__link"));
    list.append(entry);
  }
  section.append(title, list);
  box.replaceChildren(section);
}

// --- The chat -----------------------------------------------------------------------------

const PANEL_CSS = `
:host { all: initial; }
${VISUALLY_HIDDEN}
.balie-root { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #14171a; letter-spacing: normal; word-spacing: normal; text-align: left;
  text-transform: none; text-indent: 0; text-shadow: none; white-space: normal;
  visibility: visible; cursor: auto; direction: ltr; }
.balie-root *, .balie-root *::before, .balie-root *::after { box-sizing: border-box; }
.balie-launcher { position: fixed; right: 1rem; bottom: 1rem; z-index: 2147483000;
  font: inherit; font-weight: 600; color: #fff; background: #1a7f5a; border: 0;
  border-radius: 999px; padding: 0.75rem 1.25rem; cursor: pointer;
  box-shadow: 0 2px 8px rgb(0 0 0 / 25%); }
.balie-launcher:hover { background: #146b4b; }
.balie-panel { position: fixed; right: 1rem; bottom: 4.75rem; z-index: 2147483001;
  display: flex; flex-direction: column; width: min(24rem, calc(100vw - 2rem));
  height: min(34rem, calc(100vh - 6rem)); background: #fff; border: 1px solid #c5cbd2;
  border-radius: 0.75rem; box-shadow: 0 8px 28px rgb(0 0 0 / 22%); overflow: hidden; }
.balie-panel[hidden] { display: none; }
.balie-head { display: flex; align-items: center; justify-content: space-between;
  padding: 0.5rem 0.5rem 0.5rem 1rem; background: #1a7f5a; color: #fff; }
.balie-title { margin: 0; font-size: 1rem; font-weight: 600; }
.balie-close { font: inherit; font-size: 1.5rem; line-height: 1; color: #fff; background: none;
  border: 0; border-radius: 0.375rem; min-width: 2.5rem; min-height: 2.5rem; cursor: pointer; }
.balie-log { flex: 1; overflow-y: auto; padding: 0.75rem; display: flex; flex-direction: column;
  gap: 0.5rem; }
.balie-msg { max-width: 88%; padding: 0.5rem 0.75rem; border-radius: 0.75rem;
  white-space: pre-line; overflow-wrap: anywhere; }
.balie-msg--assistant { align-self: flex-start; background: #f3f5f7; }
.balie-msg--you { align-self: flex-end; background: #e8f3ee; }
.balie-msg--agent { align-self: flex-start; background: #eef2fb; border: 1px solid #c9d3ea; }
.balie-who { display: block; font-size: 0.8125rem; font-weight: 600; color: #3d4650; }
.balie-msg--notice { align-self: stretch; max-width: none; background: #fff4e5;
  border: 1px solid #e0b36a; }
.balie-msg p { margin: 0; }
.balie-msg p + *, .balie-msg ul + * { margin-top: 0.5rem; }
.balie-links { margin: 0.5rem 0 0; padding-left: 1.1rem; }
.balie-link { color: #146b4b; text-underline-offset: 0.15em; }
.balie-options { display: flex; flex-direction: column; gap: 0.375rem; margin-top: 0.5rem; }
.balie-option, .balie-send { font: inherit; text-align: left; color: #146b4b; background: #fff;
  border: 1px solid #1a7f5a; border-radius: 0.5rem; padding: 0.4rem 0.75rem; cursor: pointer; }
.balie-send { text-align: center; color: #fff; background: #1a7f5a; font-weight: 600; }
.balie-send:disabled, .balie-option:disabled { opacity: 0.6; cursor: default; }
.balie-expected { font-weight: 600; }
.balie-form { display: flex; flex-wrap: wrap; gap: 0.375rem 0.5rem; align-items: flex-end;
  padding: 0.75rem; border-top: 1px solid #e1e5e9; }
.balie-form--contact { padding: 0; border: 0; margin-top: 0.5rem; }
.balie-label { display: block; width: 100%; font-size: 0.875rem; font-weight: 600; }
.balie-field { flex: 1; min-width: 0; font: inherit; color: inherit; padding: 0.45rem 0.6rem;
  border: 1px solid #8a939c; border-radius: 0.5rem; resize: none; background: #fff; }
.balie-launcher:focus-visible, .balie-close:focus-visible, .balie-option:focus-visible,
.balie-send:focus-visible, .balie-field:focus-visible, .balie-link:focus-visible,
.balie-log:focus-visible {
  outline: 3px solid #0b5cad; outline-offset: 2px; }
@media (max-width: 30rem) {
  .balie-panel { right: 0.5rem; left: 0.5rem; width: auto; bottom: 4.25rem;
    height: calc(100vh - 5.5rem); }
}`;

const PANEL_HTML = `
<div class="balie-root">
  <button class="balie-launcher" type="button" aria-haspopup="dialog" aria-expanded="false"
    aria-controls="balie-panel"></button>
  <div class="balie-panel" id="balie-panel" role="dialog" aria-modal="false"
    aria-labelledby="balie-title" hidden>
    <div class="balie-head">
      <h2 class="balie-title" id="balie-title"></h2>
      <button class="balie-close" type="button"><span aria-hidden="true">×</span></button>
    </div>
    <div class="balie-log" role="log" aria-live="polite" aria-relevant="additions"
      tabindex="0"></div>
    <form class="balie-form balie-form--ask">
      <label class="balie-label" for="balie-question"></label>
      <textarea class="balie-field" id="balie-question" rows="2" maxlength="2000"></textarea>
      <button class="balie-send" type="submit"></button>
    </form>
  </div>
</div>`;

function chat(root, shop) {
  const host = element("div", "balie-widget");
  host.style.setProperty("all", "initial"); // beats the page's rules for the host (`* {…}`)
  const shadow = host.attachShadow({ mode: "open" });
  shadow.innerHTML = PANEL_HTML; // our own constant markup; every text goes in as textContent
  addStyles(shadow, PANEL_CSS);
  const $ = (selector) => shadow.querySelector(selector);
  const launcher = $(".balie-launcher");
  const panel = $(".balie-panel");
  const log = $(".balie-log");
  const form = $(".balie-form--ask");
  const field = $("#balie-question");
  const send = $(".balie-send");
  launcher.textContent = T.ask;
  $(".balie-title").textContent = T.ask;
  $(".balie-close").append(hiddenText(T.close));
  $(".balie-close").title = T.close;
  $(".balie-label").textContent = T.question;
  field.placeholder = T.placeholder;
  send.textContent = T.send;
  document.body.append(host);

  const storageKey = `balie-widget:${shop}`;
  const chatKey = `balie-widget-chat:${shop}`;
  let conversationId = "";
  let busy = false;
  // The live chat, once the assistant handed over to a person (see `startChat`).
  const live = { on: false, after: 0, seen: new Set(), status: "", timer: 0, restored: false,
    unread: 0 };

  function remember() {
    try {
      const kept = { conversationId, live: live.on };
      sessionStorage.setItem(chatKey, JSON.stringify(kept));
    } catch {
      // no storage: the conversation lasts as long as the page
    }
  }

  function recall() {
    try {
      const kept = JSON.parse(sessionStorage.getItem(chatKey) || "null");
      if (kept && typeof kept.conversationId === "string") {
        conversationId = kept.conversationId;
        if (kept.live) startChat(false);
      }
    } catch {
      // as above
    }
  }

  function say(who, text, name = "") {
    const message = element("div", `balie-msg balie-msg--${who}`);
    const words = element("p");
    if (who === "agent") {
      // An agent's name is shown: the shopper should know a person is writing.
      words.append(element("span", "balie-who", name || T.agent), text);
    } else {
      words.append(hiddenText(`${who === "you" ? T.you : T.assistant}: `), text);
    }
    message.append(words);
    log.append(message);
    log.scrollTop = log.scrollHeight;
    return message;
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (!log.childElementCount && !live.on) say("assistant", T.welcome);
    if (live.on) {
      live.unread = 0;
      launcher.textContent = T.ask;
      poll();
    }
    field.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  async function token(fresh) {
    if (!fresh) {
      try {
        const kept = JSON.parse(sessionStorage.getItem(storageKey) || "null");
        if (kept && kept.until > Date.now()) return kept.token;
      } catch {
        // no storage (private mode, sandboxed frame): ask for a session each time
      }
    }
    const response = await fetch(`${root}sessie/`, { method: "POST", credentials: "omit" });
    if (!response.ok) throw new Error(String(response.status));
    const body = await response.json();
    try {
      const until = Date.now() + (body.expires_in - 60) * 1000;
      sessionStorage.setItem(storageKey, JSON.stringify({ token: body.token, until }));
    } catch {
      // as above
    }
    return body.token;
  }

  function post(body, sessionToken, path = "antwoord/") {
    return fetch(`${root}${path}`, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json", "X-Balie-Widget": sessionToken },
      body: JSON.stringify(body),
    });
  }

  function setBusy(value) {
    busy = value;
    send.disabled = value;
    for (const button of log.querySelectorAll(".balie-option, .balie-form--contact button")) {
      button.disabled = value;
    }
  }

  async function ask(question, extra = {}) {
    if (busy || !question.trim()) return;
    say("you", question);
    setBusy(true);
    const thinking = say("assistant", T.thinking);
    const body = { question, page_url: pageUrl(), ...extra };
    if (locale) body.locale = locale;
    if (conversationId) body.conversation_id = conversationId;
    try {
      let response = await post(body, await token(false));
      if (response.status === 401) response = await post(body, await token(true));
      thinking.remove();
      if (response.status === 429) say("notice", T.busy);
      else if (!response.ok) say("notice", T.failed);
      else show(await response.json());
    } catch {
      thinking.remove();
      say("notice", T.failed);
    } finally {
      setBusy(false);
    }
  }

  // --- the live chat ---

  function startChat(announce) {
    live.on = true;
    field.placeholder = T.chatPlaceholder;
    $(".balie-label").textContent = T.message;
    if (announce) say("notice", T.waiting).append(contactForm(T.chatEmail, leaveAddress));
    else live.restored = true; // after a page change: the history comes from the server
    remember();
    poll();
  }

  function showStatus(status, agentName) {
    if (status === live.status) return;
    const before = live.status;
    live.status = status;
    if (live.restored && !before) return; // the state we came back to, not news
    if (status === "agent") say("notice", T.joined.replace("%s", agentName || T.agent));
    if (status === "resolved") say("notice", T.resolved);
  }

  async function poll() {
    clearTimeout(live.timer);
    if (!live.on) return;
    if (document.hidden) {
      live.timer = setTimeout(poll, 3000);
      return;
    }
    let wait = 5;
    try {
      const query = new URLSearchParams({ conversation_id: conversationId, after: live.after });
      const response = await fetch(`${root}gesprek/?${query}`, {
        credentials: "omit",
        headers: { "X-Balie-Widget": await token(false) },
      });
      if (response.status === 401 || response.status === 404 || response.status === 409) {
        stopChat();
        return;
      }
      if (response.ok) {
        const body = await response.json();
        for (const message of body.messages) {
          live.after = Math.max(live.after, message.id);
          if (live.seen.has(message.id)) continue;
          live.seen.add(message.id);
          if (message.author === "agent") {
            say("agent", message.text, message.name);
            if (panel.hidden) live.unread += 1;
          } else say("you", message.text);
        }
        showStatus(body.status, body.agent_name);
        live.restored = false;
        launcher.textContent = live.unread ? `${T.ask} (${live.unread} ${T.unread})` : T.ask;
        wait = body.poll_seconds || wait;
      } else if (response.status === 429) {
        wait = 60;
      }
    } catch {
      wait = 10; // offline for a moment: try again a little later
    }
    live.timer = setTimeout(poll, wait * 1000);
  }

  function stopChat() {
    // The chat is gone (the session expired, or the server forgot it): back to the assistant.
    live.on = false;
    clearTimeout(live.timer);
    conversationId = "";
    field.placeholder = T.placeholder;
    $(".balie-label").textContent = T.question;
    remember();
  }

  async function write(text) {
    if (busy || !text.trim()) return;
    const clientId = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    say("you", text);
    setBusy(true);
    const body = { conversation_id: conversationId, text, client_id: clientId };
    try {
      let response = await post(body, await token(false), "bericht/");
      if (response.status === 401) response = await post(body, await token(true), "bericht/");
      if (response.status === 201) live.seen.add((await response.json()).id);
      else if (response.status === 429) say("notice", T.busy);
      else if (response.status === 404 || response.status === 409) {
        stopChat();
        say("notice", T.failed);
      } else say("notice", T.failed);
    } catch {
      say("notice", T.failed);
    } finally {
      setBusy(false);
      poll();
    }
  }

  function show(answer) {
    conversationId = answer.conversation_id || conversationId;
    remember();
    const action = answer.action || {};
    let text = answer.answer;
    const expected = action.type === "handoff" ? action.expected_response : "";
    if (expected && text.endsWith(expected)) text = text.slice(0, -expected.length).trim();
    const message = say("assistant", text);
    if (expected) {
      const note = element("p", "balie-expected", `${T.expected} `);
      note.append(element("span", "", expected));
      message.append(note);
    }
    if (action.type === "choose") {
      const options = element("div", "balie-options");
      for (const option of action.options || []) {
        const button = element("button", "balie-option", option.title);
        button.type = "button";
        button.addEventListener("click", () => ask(option.title));
        options.append(button);
      }
      message.append(options);
    } else if (answer.articles?.some((article) => article.url)) {
      const links = element("ul", "balie-links");
      for (const article of answer.articles.filter((item) => item.url)) {
        const entry = element("li");
        entry.append(hiddenText(`${T.read} `));
        entry.append(articleLink(article.url, article.title, article.locale, "balie-link"));
        links.append(entry);
      }
      message.append(links);
    }
    if (action.type === "contact_needed") message.append(contactForm());
    log.scrollTop = log.scrollHeight;
    if (action.type === "handoff" && action.channel === "chat") startChat(true);
  }

  function contactForm(labelText = T.email, given = null) {
    const contact = element("form", "balie-form balie-form--contact");
    const label = element("label", "balie-label", labelText);
    const input = element("input", "balie-field");
    input.type = "email";
    input.required = true;
    input.autocomplete = "email";
    input.id = `balie-email-${log.childElementCount}`;
    label.htmlFor = input.id;
    const submit = element("button", "balie-send", T.emailSend);
    submit.type = "submit";
    contact.append(label, input, submit);
    contact.addEventListener("submit", (event) => {
      event.preventDefault();
      const email = input.value.trim();
      if (!email || busy) return;
      contact.remove();
      field.focus();
      if (given) given(email);
      // The address as the question too: the assistant reads it from there when it waits.
      else ask(email, { email });
    });
    if (!given) setTimeout(() => input.focus());
    return contact;
  }

  async function leaveAddress(email) {
    // Optional in a chat: where the replies go that the shopper misses after leaving.
    const body = { conversation_id: conversationId, email };
    try {
      let response = await post(body, await token(false), "bericht/");
      if (response.status === 401) response = await post(body, await token(true), "bericht/");
      say("notice", response.ok ? T.mailNoted.replace("%s", email) : T.failed);
    } catch {
      say("notice", T.failed);
    }
  }

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  $(".balie-close").addEventListener("click", close);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      close();
    }
  });
  function submitQuestion() {
    const question = field.value.trim();
    if (!question || busy) return;
    field.value = "";
    if (live.on) write(question);
    else ask(question);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitQuestion();
  });
  field.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter starts a new line (and Enter that picks an IME candidate neither).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitQuestion();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && live.on) poll();
  });
  recall();
}

function start() {
  const shop = script?.dataset.balieShop;
  if (!shop) return;
  const base = (script.dataset.balieUrl || new URL(script.src).origin).replace(/\/+$/, "");
  const root = `${base}/s/${encodeURIComponent(shop)}/widget/`;
  const boxes = document.querySelectorAll("[data-balie-faq]");
  if (boxes.length) addStyles(document, FAQ_CSS);
  boxes.forEach((box, number) => fillFaq(root, box, number).catch(() => {}));
  chat(root, shop);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
