/* Hall pages: kiosk (idle return, card reader, number pad, auto print), phone follow page (polls its JSON
   twin every 10 s), window console (F-key shortcuts). Every page works without it: forms post, meta refresh. */
(function () {
  "use strict";
  var body = document.body;

  /* Kiosk: back to a clean start page after a minute without a touch (clears a typed ID number, keeps the
     device session from idling out, refreshes the waiting counts). */
  var idleUrl = body.getAttribute("data-idle-return");
  if (idleUrl) {
    var idleMs = (parseInt(body.getAttribute("data-idle-seconds"), 10) || 60) * 1000;
    var idleTimer;
    var rearm = function () {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(function () { location.replace(idleUrl); }, idleMs);
    };
    ["pointerdown", "keydown", "touchstart"].forEach(function (name) { document.addEventListener(name, rearm, true); });
    rearm();
  }

  var clock = document.querySelector("[data-clock]");
  if (clock) {
    setInterval(function () {
      var now = new Date();
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      clock.textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日 " +
        pad(now.getHours()) + ":" + pad(now.getMinutes());
    }, 15000);
  }

  /* A card reader types digits then Enter wherever the focus is: after a touch on a button the focus is not
     in the ID field any more, so digits typed elsewhere are sent there. */
  var reader = document.querySelector("[data-card-reader]");
  if (reader) {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target === reader || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) { return; }
      if (/^[0-9Xx]$/.test(event.key)) { reader.focus(); }
    }, true);
  }

  /* On-screen number pad (appointment code): the kiosk has no keyboard. */
  var padTarget = document.querySelector("[data-keypad-target]");
  document.addEventListener("click", function (event) {
    var key = event.target.closest(".kiosk-keypad [data-key]");
    if (!key || !padTarget) { return; }
    var value = key.getAttribute("data-key");
    if (value === "clear") { padTarget.value = ""; }
    else if (value === "back") { padTarget.value = padTarget.value.slice(0, -1); }
    else if (padTarget.value.length < (padTarget.maxLength > 0 ? padTarget.maxLength : 8)) { padTarget.value += value; }
  });

  /* The 80 mm ticket: the page is as long as the slip (roll paper), it prints itself, "重新打印" prints again. */
  var slip = document.querySelector(".ticket");
  var pageRule = document.querySelector("style[data-ticket-page]");
  if (slip && pageRule) {
    var heightMm = Math.ceil(slip.getBoundingClientRect().height * 25.4 / 96) + 6;
    pageRule.textContent = "@page { size: 80mm " + heightMm + "mm; margin: 0; }";
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  if (body.hasAttribute("data-autoprint")) {
    window.addEventListener("load", function () { setTimeout(function () { window.print(); }, 300); });
  }
  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var left = parseInt(countdown.getAttribute("data-countdown"), 10);
    setInterval(function () { if (left > 0) { left -= 1; countdown.textContent = String(left); } }, 1000);
  }

  /* Phone: follow the ticket. A transferred ticket answers with its new page's address. */
  var follow = document.querySelector("[data-follow]");
  if (follow) {
    var source = follow.getAttribute("data-follow");
    var poll = setInterval(function () {
      fetch(source, { headers: { Accept: "application/json" }, cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) { return; }
          if (state.url && state.url !== location.pathname) { location.replace(state.url); return; }
          ["message", "people_ahead", "wait_text", "status_label"].forEach(function (field) {
            var el = follow.querySelector('[data-field="' + field + '"]');
            if (el && el.textContent !== String(state[field] === null ? "" : state[field])) {
              el.textContent = state[field] === null ? "" : state[field];
            }
          });
          var message = follow.querySelector('[data-field="message"]');
          if (message) { message.className = "follow-message follow-" + state.status; }
          var waiting = follow.querySelector("[data-waiting]");
          if (waiting) { waiting.hidden = state.people_ahead === null; }
          if (!state.live) { clearInterval(poll); }
        })
        .catch(function () { /* offline for a moment: try again at the next tick */ });
    }, 10000);
  }

  /* Window console: F2 call next, F3 recall, F4 start, F8 finish (each button is also reachable by Tab). */
  if (document.querySelector("[data-shortcuts]")) {
    document.addEventListener("keydown", function (event) {
      if (!/^F\d+$/.test(event.key)) { return; }
      var button = document.querySelector('[data-shortcut="' + event.key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    });
  }
})();
