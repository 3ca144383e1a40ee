/* Rating forms (evaluator tablet, SMS/QR link, rating card): show the reasons of the level chosen, the contact
   fields when 实名 is ticked; on the tablet, light up when the window finishes a ticket, reset when left alone.
   Every form works without it: all reason groups are shown, the server checks that they match the level. */
(function () {
  "use strict";
  var body = document.body;

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function showLevel(form) {
    var checked = form.querySelector("input[name=level]:checked");
    var level = checked ? checked.value : "";
    each(form.querySelectorAll("[data-level-reasons]"), function (group) {
      var on = group.getAttribute("data-level-reasons") === level;
      group.hidden = !on;
      each(group.querySelectorAll("input"), function (input) { input.disabled = !on; });
    });
    var prompt = form.querySelector("[data-reasons-prompt]");
    if (prompt) { prompt.hidden = level !== ""; }
    var submit = form.querySelector("[data-submit]");
    if (submit) { submit.disabled = level === ""; }
    var bad = checked && checked.hasAttribute("data-bad");
    each(form.querySelectorAll("[data-bad-only]"), function (node) {
      node.hidden = !bad;
      each(node.querySelectorAll("input"), function (input) { input.disabled = !bad; });
    });
  }

  function showContact(form) {
    var toggle = form.querySelector("[data-real-name]");
    var contact = form.querySelector("[data-contact]");
    if (!toggle || !contact) { return; }
    contact.hidden = !toggle.checked;
    each(contact.querySelectorAll("input"), function (input) { input.disabled = !toggle.checked; });
  }

  each(document.querySelectorAll("[data-rating-form]"), function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name === "level") { showLevel(form); }
      if (event.target.hasAttribute("data-real-name")) { showContact(form); }
    });
    showLevel(form);
    showContact(form);
  });

  /* The tablet. */
  if (!body.hasAttribute("data-evaluator")) { return; }
  var pageUrl = body.getAttribute("data-page-url");
  var stateUrl = body.getAttribute("data-state-url");
  var shown = body.getAttribute("data-service") || "";
  var pollMs = (parseInt(body.getAttribute("data-poll-seconds"), 10) || 3) * 1000;
  var resetMs = (parseInt(body.getAttribute("data-reset-seconds"), 10) || 45) * 1000;
  var thanksMs = (parseInt(body.getAttribute("data-thanks-seconds"), 10) || 6) * 1000;
  var touched = false;
  var home = function () { location.replace(pageUrl); };

  if (body.hasAttribute("data-thanks")) { setTimeout(home, thanksMs); return; }

  /* Left alone half-way (or after an error), the tablet clears itself for the next person. */
  var idleTimer;
  var rearm = function () {
    clearTimeout(idleTimer);
    if (shown) { idleTimer = setTimeout(home, resetMs); }
  };
  ["pointerdown", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, function () { touched = true; rearm(); }, true);
  });
  rearm();

  /* Poll: a service appears (the window finished a ticket), or the one shown went away (the next call). */
  setInterval(function () {
    if (touched && shown) { return; }
    fetch(stateUrl, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        var now = state.service ? String(state.service.id) : "";
        if (now !== shown) { home(); }
      })
      .catch(function () { /* the network comes back; the next poll tries again */ });
  }, pollMs);
})();
