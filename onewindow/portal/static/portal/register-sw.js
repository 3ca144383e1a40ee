// Installs the portal's service worker (offline guide pages and an offline notice on weak village connections).
(function () {
  "use strict";
  var me = document.currentScript;
  if (!("serviceWorker" in navigator) || !me || !me.dataset.sw) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(me.dataset.sw, { scope: "/" }).catch(function () { /* http or unsupported */ });
  });
})();
