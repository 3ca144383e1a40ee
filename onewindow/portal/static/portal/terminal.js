// 自助服务终端: after ONEWINDOW_TERMINAL_IDLE_SECONDS without a touch, a countdown; then the citizen is signed out
// (POST to the sign-out form) and everything typed or stored in this browser is cleared. The server signs an idle
// citizen out by itself too, so a page whose script stopped still forgets them; touches are reported (at most
// every 30 s) so a citizen typing a long form stays signed in there.
(function () {
  "use strict";
  var me = document.currentScript;
  var idle = Math.max(15, parseInt(me.dataset.idle, 10) || 120);
  var warnFor = Math.min(20, Math.floor(idle / 4));
  var signedIn = me.dataset.citizen === "1";
  var home = me.dataset.home;
  var ping = me.dataset.ping;
  var dialog = document.getElementById("tm-idle");
  var count = document.getElementById("tm-idle-count");
  var stay = document.getElementById("tm-idle-stay");
  var lastTouch = Date.now();
  var lastPing = Date.now();
  var warned = false;

  function clearEverything() {
    try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* storage disabled */ }
    Array.prototype.forEach.call(document.forms, function (form) { form.reset(); });
  }

  function finish() {
    clearEverything();
    if (signedIn) {
      document.getElementById("tm-logout").submit();
    } else if (window.location.pathname !== home) {
      window.location.replace(home);
    } else {
      window.location.reload();
    }
  }

  function touched() {
    lastTouch = Date.now();
    if (warned) {
      warned = false;
      dialog.hidden = true;
    }
    if (signedIn && ping && Date.now() - lastPing > 30000) {
      lastPing = Date.now();
      fetch(ping, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (response.status === 205) { window.location.replace(home); }  // the server already signed them out
      }).catch(function () { /* offline: the countdown still runs */ });
    }
  }

  ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true, capture: true });
  });
  stay.addEventListener("click", touched);

  window.setInterval(function () {
    var quiet = (Date.now() - lastTouch) / 1000;
    var left = Math.ceil(idle - quiet);
    var atRest = !signedIn && window.location.pathname === home;
    if (atRest) { return; }  // nobody's data on the terminal's start page: nothing to clear
    if (left <= 0) {
      finish();
    } else if (left <= warnFor) {
      count.textContent = String(left);
      if (!warned) {
        warned = true;
        dialog.hidden = false;
        stay.focus();
      }
    }
  }, 1000);

  // Leaving through the exit button also clears what the browser holds.
  document.getElementById("tm-logout").addEventListener("submit", clearEverything);
})();
