/* Hall board and window display: live updates over Server-Sent Events, polling board.json when the stream
   is unavailable (WSGI answers the stream with 204), and an optional spoken call in Chinese (speechSynthesis,
   no outside service). Every value is written with textContent: nothing from the server becomes markup. */
(function () {
  "use strict";
  var screen = document.querySelector("[data-board]");
  var stateNode = document.getElementById("board-state");
  if (!screen || !stateNode) return;

  var mode = screen.getAttribute("data-board");
  var windowId = Number(screen.getAttribute("data-window-id") || 0);
  var streamUrl = screen.getAttribute("data-stream-url");
  var jsonUrl = screen.getAttribute("data-json-url");
  var pollMs = Number(screen.getAttribute("data-poll-ms") || 500);
  var state = JSON.parse(stateNode.textContent);
  var version = String(state.version);
  var announced = callKeys(state);
  var speaking = false;
  var DIGITS = "零一二三四五六七八九";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function linkState(text, kind) {
    var node = screen.querySelector("[data-link-state]");
    if (!node) return;
    node.textContent = text;
    node.setAttribute("data-kind", kind);
  }

  function callKeys(s) {
    var keys = {};
    (s.windows || []).forEach(function (w) {
      if (w.ticket) keys[w.ticket.number + "@" + w.number + "#" + w.ticket.recalls] = true;
    });
    return keys;
  }

  function latestCalls(s) {
    return (s.windows || []).filter(function (w) { return w.ticket; }).sort(function (a, b) {
      return (b.ticket.called_at || "").localeCompare(a.ticket.called_at || "");
    });
  }

  // Same thresholds as views/board.py call_density(): the cards shrink as more windows call at once.
  function density(count) { return count > 13 ? "crowded" : count > 7 ? "many" : ""; }

  function callText(w) {
    return "请" + w.ticket.number + "号到" + w.number + "号窗口办理";
  }

  function hhmm(iso) { return iso ? iso.slice(11, 16) : ""; }

  // --- the big board -----------------------------------------------------------------------------
  function renderBoard(s, fresh) {
    var calls = latestCalls(s);
    var list = screen.querySelector("[data-calls]");
    list.replaceChildren();
    list.className = "call-list " + density(calls.length);
    if (!calls.length) list.appendChild(el("li", "call-empty", "暂无叫号，请耐心等候"));
    calls.forEach(function (w, i) {
      var item = el("li", "call" + (i === 0 ? " latest" : ""));
      if (fresh[w.ticket.number + "@" + w.number + "#" + w.ticket.recalls]) item.classList.add("fresh");
      item.appendChild(el("span", "call-number", w.ticket.number));
      var arrow = el("span", "call-arrow", "→");
      arrow.setAttribute("aria-hidden", "true");
      item.appendChild(arrow);
      var where = el("span", "call-window");
      where.appendChild(el("b", null, String(w.number)));
      where.appendChild(document.createTextNode("号窗口"));
      where.appendChild(el("small", null, w.name));
      item.appendChild(where);
      list.appendChild(item);
    });
    screen.querySelector("[data-announce]").textContent = calls.length ? callText(calls[0]) : "";

    var body = screen.querySelector("[data-categories]");
    body.replaceChildren();
    (s.categories || []).forEach(function (c) {
      var row = el("tr");
      var head = el("th");
      head.setAttribute("scope", "row");
      head.appendChild(el("span", "prefix", c.prefix));
      head.appendChild(document.createTextNode(c.name));
      row.appendChild(head);
      var count = el("td");
      count.appendChild(el("b", null, String(c.waiting)));
      count.appendChild(document.createTextNode("人"));
      row.appendChild(count);
      var wait = el("td");
      if (c.waiting) {
        wait.appendChild(document.createTextNode("约"));
        wait.appendChild(el("b", null, String(c.estimated_wait_minutes)));
        wait.appendChild(document.createTextNode("分钟"));
      } else {
        wait.textContent = "无需等候";
      }
      row.appendChild(wait);
      body.appendChild(row);
    });

    var recent = screen.querySelector("[data-recent]");
    recent.replaceChildren();
    if (!(s.recent || []).length) recent.appendChild(el("li", "recent-empty", "今日尚未叫号"));
    (s.recent || []).forEach(function (r) {
      var item = el("li");
      item.appendChild(el("span", "recent-number", r.number));
      item.appendChild(el("span", null, r.window_number + "号窗口"));
      item.appendChild(el("time", null, hhmm(r.called_at)));
      recent.appendChild(item);
    });
  }

  // --- one window's display ----------------------------------------------------------------------
  function renderWindow(s) {
    var w = (s.windows || []).filter(function (x) { return x.id === windowId; })[0];
    var label = "暂停服务";
    if (w && w.ticket) label = w.ticket.status === "serving" ? "正在办理" : "请到本窗口办理";
    else if (w) label = "等候叫号";
    screen.querySelector("[data-display-label]").textContent = label;
    screen.querySelector("[data-display-number]").textContent = w && w.ticket ? w.ticket.number : "—";
    screen.querySelector("[data-display-category]").textContent = w && w.ticket ? w.ticket.category : "";
  }

  // --- speech ------------------------------------------------------------------------------------
  function spoken(text) {
    // "A012" is read digit by digit, as hall announcers do: 请A零一二号到3号窗口办理
    return text.replace(/([A-Z])(\d+)号/g, function (_, letter, digits) {
      return letter + digits.split("").map(function (d) { return DIGITS[Number(d)]; }).join("") + "号";
    });
  }

  function say(text) {
    if (!speaking || !("speechSynthesis" in window)) return;
    var utterance = new SpeechSynthesisUtterance(spoken(text));
    utterance.lang = "zh-CN";
    utterance.rate = 0.85;
    window.speechSynthesis.speak(utterance);
  }

  function setSpeaking(on) {
    speaking = on && "speechSynthesis" in window;
    var button = screen.querySelector("[data-speak-toggle]");
    if (button) {
      button.setAttribute("aria-pressed", speaking ? "true" : "false");
      button.textContent = speaking ? "语音播报：开" : "语音播报：关";
    }
    try { window.localStorage.setItem("hall-board-speak", speaking ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  // --- applying a new state ----------------------------------------------------------------------
  function apply(s) {
    if (String(s.version) === version && s.day === state.day) return;
    var keys = callKeys(s);
    var fresh = {};
    Object.keys(keys).forEach(function (k) { if (!announced[k]) fresh[k] = true; });
    state = s;
    version = String(s.version);
    if (mode === "window") renderWindow(s); else renderBoard(s, fresh);
    latestCalls(s).slice().reverse().forEach(function (w) {
      if (fresh[w.ticket.number + "@" + w.number + "#" + w.ticket.recalls] && w.ticket.status === "called") {
        if (mode !== "window" || w.id === windowId) say(callText(w));
      }
    });
    announced = keys;
    screen.setAttribute("data-version", version);
  }

  // --- transport: SSE first, polling as the fallback ---------------------------------------------
  var pollTimer = null;
  function poll() {
    linkState("轮询更新", "poll");
    var request = new XMLHttpRequest();
    request.open("GET", jsonUrl + "?since=" + encodeURIComponent(version) + "&day=" + encodeURIComponent(state.day));
    request.setRequestHeader("Accept", "application/json");
    request.timeout = 5000;
    request.onload = function () {
      var body = null;
      try { body = JSON.parse(request.responseText); } catch (e) { body = null; }
      if (request.status === 200 && body) {
        if (body.changed) apply(body);
        pollTimer = setTimeout(poll, pollMs);
      } else {
        var message = body && body.error ? body.error.message : "无法获取叫号信息";
        linkState(message, "error");
        // 401: the device's token was revoked or replaced; reloading lands on the device sign-in page.
        if (request.status === 401) { setTimeout(function () { window.location.reload(); }, 5000); return; }
        pollTimer = setTimeout(poll, 10000);
      }
    };
    request.onerror = request.ontimeout = function () {
      linkState("网络中断，正在重试…", "error");
      pollTimer = setTimeout(poll, 2000);
    };
    request.send();
  }

  function stream() {
    if (!("EventSource" in window) || !streamUrl) { poll(); return; }
    var source = new EventSource(streamUrl);
    var received = false;
    var failures = 0;
    source.addEventListener("open", function () { linkState("实时更新", "live"); });
    source.addEventListener("board", function (event) {
      received = true;
      failures = 0;
      linkState("实时更新", "live");
      apply(JSON.parse(event.data));
    });
    source.addEventListener("error", function () {
      failures += 1;
      // CLOSED: the server said no stream here (204 under WSGI, or an error status); never worked twice: give up.
      if (source.readyState === EventSource.CLOSED || (!received && failures >= 2)) {
        source.close();
        if (!pollTimer) poll();
      } else {
        linkState("重新连接…", "retry");
      }
    });
  }

  // --- clock and the speech toggle ---------------------------------------------------------------
  function tick() {
    var clock = screen.querySelector("[data-clock]");
    if (!clock) return;
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    clock.textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日 " +
      pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
  }

  var toggle = screen.querySelector("[data-speak-toggle]");
  if (toggle) {
    if (!("speechSynthesis" in window)) {
      toggle.disabled = true;
      toggle.textContent = "本机不支持语音播报";
    } else {
      var saved = null;
      try { saved = window.localStorage.getItem("hall-board-speak"); } catch (e) { saved = null; }
      setSpeaking(saved === "1");
      toggle.addEventListener("click", function () {
        setSpeaking(!speaking);
        if (speaking) say("语音播报已开启");
      });
    }
  }
  screen.setAttribute("data-version", version);
  tick();
  setInterval(tick, 1000);
  stream();
})();
