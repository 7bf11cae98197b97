/*
 * Website chat with the assistant over Rasa's socketio channel (events session_request /
 * session_confirm, user_uttered / bot_uttered). Plain browser JavaScript, no build step.
 *
 * Every text from the user or the assistant goes into the page with textContent, never as HTML.
 * The transcript and the session id are kept in localStorage, so a reload shows the conversation;
 * ID-like and mobile-like numbers are masked before the transcript is stored.
 */
(function () {
  "use strict";

  var config = window.CHAT_CONFIG || {};
  var STORAGE_KEY = config.storageKey || "bj-training-chat/v1";
  var MAX_ENTRIES = 200;
  var REPLY_TIMEOUT_MS = 60000;
  var TEXT = {
    connectionLost: "连接中断，正在重连…",
    noReply: "暂时没有收到回复，请稍后再试，或点右上角“人工咨询”。",
    confirmNewChat: "清空本机保存的对话记录，开始新对话？",
    humanRequest: "人工咨询"
  };

  var els = {
    messages: document.getElementById("messages"),
    status: document.getElementById("status"),
    typing: document.getElementById("typing"),
    form: document.getElementById("composer"),
    input: document.getElementById("input"),
    human: document.getElementById("human"),
    newChat: document.getElementById("new-chat")
  };

  // --- Stored conversation --------------------------------------------------------------------

  // entries: {role: "user" | "bot" | "system", text, buttons: [{title, payload}], used, chosen}
  var state = loadState();

  function emptyState() {
    return { sessionId: null, entries: [] };
  }

  function loadState() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (stored && Array.isArray(stored.entries)) {
        return { sessionId: typeof stored.sessionId === "string" ? stored.sessionId : null,
                 entries: stored.entries.filter(isEntry) };
      }
    } catch (error) { /* unreadable or no storage: start afresh */ }
    return emptyState();
  }

  function isEntry(entry) {
    if (!entry || typeof entry.text !== "string" ||
        (entry.role !== "user" && entry.role !== "bot" && entry.role !== "system")) {
      return false;
    }
    entry.buttons = Array.isArray(entry.buttons) ? entry.buttons.filter(isButton) : [];
    return true;
  }

  function isButton(button) {
    return button && typeof button.title === "string" && typeof button.payload === "string";
  }

  function saveState() {
    if (state.entries.length > MAX_ENTRIES) {
      state.entries = state.entries.slice(-MAX_ENTRIES);
    }
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state, function (key, value) {
        return key === "text" && typeof value === "string" ? maskPersonalData(value) : value;
      }));
    } catch (error) { /* private mode or full: the page still works, without history */ }
  }

  // Same masks as the server (bot/privacy.py): 1101**********1234, 138****5678.
  var ID_LIKE = /(^|[^0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
  var MOBILE_LIKE = /(^|[^0-9])((?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?![0-9])/g;

  function maskPersonalData(text) {
    return text
      .replace(ID_LIKE, function (all, before, number) {
        return before + number.slice(0, 4) + new Array(number.length - 7).join("*") + number.slice(-4);
      })
      .replace(MOBILE_LIKE, function (all, before, number) {
        var digits = number.replace(/\D/g, "").slice(-11);
        return before + digits.slice(0, 3) + "****" + digits.slice(-4);
      });
  }

  // --- Rendering --------------------------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function isSourceLine(line) {
    return /^\s*来源[：:]/.test(line);
  }

  // Phone numbers and time ranges ("010-64400680", "9:00-11:00") are not broken at their hyphen.
  var KEEP_TOGETHER = /\d[\d:]*(?:-\d[\d:]*)+/;
  var KEEP_TOGETHER_MAX = 24;   // longer runs may still wrap, rather than overflow the bubble

  // In the assistant's replies, phone numbers become tel: links and web addresses become links.
  var LINK = /(https?:\/\/[A-Za-z0-9._~:\/?#\[\]@!$&'()*+,;=%-]+|www\.[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:\/[A-Za-z0-9._~\/?#=&%-]*)?)|(1[3-9]\d{9}|(?:0\d{2,3}-)?\d{7,8}(?:-\d{1,5})?)/;
  var BEIJING_AREA_CODE = "010";

  // "65181122-5769" → "tel:01065181122,5769": a local number gets Beijing's code, an extension a pause.
  function telHref(number) {
    var parts = number.split("-");
    var extension = "";
    if (parts.length > 1 && parts[parts.length - 1].length <= 5 && !/^0/.test(parts[parts.length - 1])) {
      extension = "," + parts.pop();
    }
    var digits = parts.join("");
    if (digits.length <= 8) { digits = BEIJING_AREA_CODE + digits; }
    return "tel:" + digits + extension;
  }

  function link(match) {
    var node = element("a", null, match[0]);
    if (match[1]) {
      node.href = /^https?:/.test(match[1]) ? match[1] : "https://" + match[1];
      node.target = "_blank";
      node.rel = "noopener noreferrer";
    } else {
      node.href = telHref(match[2]);
      node.className = "nowrap";
    }
    return node;
  }

  // Plain text, with the runs that must not wrap kept together.
  function appendText(node, text) {
    var pattern = new RegExp(KEEP_TOGETHER.source, "g");
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (match[0].length > KEEP_TOGETHER_MAX) { continue; }
      node.appendChild(document.createTextNode(text.slice(last, match.index)));
      node.appendChild(element("span", "nowrap", match[0]));
      last = match.index + match[0].length;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  // A paragraph; `withLinks` (the assistant's replies only) turns numbers and addresses into links.
  function textBlock(tag, className, text, withLinks) {
    var node = element(tag, className);
    var rest = text;
    var match;
    while (withLinks && (match = LINK.exec(rest)) !== null) {
      var end = match.index + match[0].length;
      // A number inside a longer run of digits (an order number, a date) is no phone number.
      var inRun = match[2] && (/[\d-]/.test(rest.charAt(match.index - 1)) || /\d/.test(rest.charAt(end)));
      appendText(node, rest.slice(0, end - (inRun ? 0 : match[0].length)));
      if (!inRun) { node.appendChild(link(match)); }
      rest = rest.slice(end);
    }
    appendText(node, rest);
    return node;
  }

  // Newlines kept (white-space: pre-wrap); each "来源：…" line becomes a quieter citation block.
  function fillBubble(bubble, text, withSources) {
    var lines = text.split("\n");
    var paragraph = [];
    function flushParagraph() {
      if (paragraph.length) { bubble.appendChild(textBlock("p", null, paragraph.join("\n"), withSources)); }
      paragraph = [];
    }
    lines.forEach(function (line) {
      if (withSources && isSourceLine(line)) {
        flushParagraph();
        bubble.appendChild(textBlock("p", "source", line.trim(), true));
      } else {
        paragraph.push(line);
      }
    });
    flushParagraph();
  }

  function renderButtons(entry) {
    var group = element("div", "quick-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "可选的问题");
    entry.buttons.forEach(function (button, index) {
      var node = element("button", "quick-reply", button.title);
      node.type = "button";
      if (entry.used) {
        node.disabled = true;
        if (entry.chosen === index) {
          node.classList.add("chosen");
          node.setAttribute("aria-pressed", "true");
        }
      }
      node.addEventListener("click", function () {
        if (entry.used) { return; }
        entry.used = true;
        entry.chosen = index;
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (other) {
          other.disabled = true;
        });
        node.classList.add("chosen");
        node.setAttribute("aria-pressed", "true");
        send(button.payload, button.title);
      });
      group.appendChild(node);
    });
    return group;
  }

  function renderEntry(entry) {
    var row = element("div", "message " + entry.role);
    if (entry.role === "system") {
      row.appendChild(element("p", "note", entry.text));
      return row;
    }
    if (entry.text) {
      var bubble = element("div", "bubble");
      fillBubble(bubble, entry.text, entry.role === "bot");
      row.appendChild(bubble);
    }
    if (entry.buttons && entry.buttons.length) {
      row.appendChild(renderButtons(entry));
    }
    return row;
  }

  function scrollToEnd() {
    els.messages.scrollTop = els.messages.scrollHeight;
  }

  function renderAll() {
    els.messages.textContent = "";
    state.entries.forEach(function (entry) { els.messages.appendChild(renderEntry(entry)); });
    scrollToEnd();
  }

  function addEntry(entry) {
    state.entries.push(entry);
    saveState();
    els.messages.appendChild(renderEntry(entry));
    scrollToEnd();
  }

  function setStatus(text) {
    els.status.textContent = text || "";
    els.status.hidden = !text;
  }

  // --- Waiting for a reply ------------------------------------------------------------------------

  var replyTimer = null;

  function startWaiting() {
    els.typing.hidden = false;
    scrollToEnd();   // the indicator takes room from the conversation above it
    window.clearTimeout(replyTimer);
    replyTimer = window.setTimeout(function () {
      stopWaiting();
      addEntry({ role: "system", text: TEXT.noReply });
    }, REPLY_TIMEOUT_MS);
  }

  function stopWaiting() {
    window.clearTimeout(replyTimer);
    replyTimer = null;
    els.typing.hidden = true;
  }

  // --- Connection -------------------------------------------------------------------------------

  var socket = window.io(config.socketUrl || undefined, {
    path: config.socketPath || "/socket.io/",
    transports: config.transports || ["polling"],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000
  });
  var sessionId = null;     // confirmed by Rasa for the current connection
  var outbox = [];          // messages typed before the session is confirmed
  var greetingSent = false;

  function flushOutbox() {
    while (sessionId && socket.connected && outbox.length) {
      socket.emit("user_uttered", { message: outbox.shift(), session_id: sessionId });
    }
  }

  function send(payload, shownText) {
    if (shownText) { addEntry({ role: "user", text: shownText }); }
    startWaiting();
    outbox.push(payload);
    flushOutbox();
  }

  // A first visit (no answer from the assistant yet) opens with its greeting and menu, before
  // anything typed while the connection was being set up.
  function queueGreetingIfNew() {
    var answered = state.entries.some(function (entry) { return entry.role === "bot"; });
    if (!answered && !greetingSent) {
      greetingSent = true;
      outbox.unshift("/greet");
      startWaiting();
    }
  }

  socket.on("connect", function () {
    // With persistent sessions Rasa puts this connection into the stored session's room; otherwise
    // the connection's own socket id is the session (see bot/web/server.py, rasa_keeps_session_rooms).
    var requested = config.persistentSessions ? state.sessionId : socket.id;
    socket.emit("session_request", { session_id: requested || null });
  });

  socket.on("session_confirm", function (confirmed) {
    sessionId = typeof confirmed === "string" ? confirmed : (confirmed && confirmed.session_id) || null;
    if (!sessionId) { return; }
    if (state.sessionId !== sessionId) {
      state.sessionId = sessionId;
      saveState();
    }
    setStatus(null);
    queueGreetingIfNew();
    flushOutbox();
  });

  socket.on("bot_uttered", function (message) {
    if (!message || typeof message !== "object") { return; }
    var text = typeof message.text === "string" ? message.text : "";
    var offered = Array.isArray(message.quick_replies) ? message.quick_replies
      : Array.isArray(message.buttons) ? message.buttons : [];
    var buttons = offered
      .filter(function (button) { return button && (button.title || button.payload); })
      .map(function (button) {
        return { title: String(button.title || button.payload), payload: String(button.payload || button.title) };
      });
    if (!text && !buttons.length) { return; }
    stopWaiting();
    addEntry({ role: "bot", text: text, buttons: buttons });
  });

  socket.on("disconnect", function (reason) {
    sessionId = null;
    if (reason !== "io client disconnect") { setStatus(TEXT.connectionLost); }
  });

  socket.on("connect_error", function () {
    setStatus(TEXT.connectionLost);
  });

  // --- Controls ---------------------------------------------------------------------------------

  els.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = els.input.value.trim();
    if (!text) { return; }
    els.input.value = "";
    send(text, text);
  });

  els.human.addEventListener("click", function () {
    send("/request_human", TEXT.humanRequest);
  });

  els.newChat.addEventListener("click", function () {
    if (!window.confirm(TEXT.confirmNewChat)) { return; }
    state = emptyState();
    saveState();
    outbox = [];
    greetingSent = false;
    stopWaiting();
    renderAll();
    // A new connection gets a new session (a new socket id, or no stored id to ask for).
    socket.disconnect();
    socket.connect();
  });

  renderAll();
}());
