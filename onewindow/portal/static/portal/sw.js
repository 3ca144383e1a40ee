// 嘉·快办 service worker: keeps the app shell and the public pages a visitor has opened (portal home, guides) so
// they still open on a weak village connection, and shows a Chinese offline page for anything else.
// Personal pages (sign-in, my cases, applications, staff screens, the API) are never stored: only an allowlist is,
// and the signed-in parts of a stored page (<!--private-->…<!--/private-->) are cut out first.
"use strict";

var VERSION = "onewindow-portal-v1";
var OFFLINE = "/static/portal/offline.html";
var SHELL = [
  OFFLINE,
  "/static/onewindow/css/site.css",
  "/static/onewindow/css/guide.css",
  "/static/portal/portal.css",
  "/static/portal/register-sw.js",
  "/static/portal/icons/icon.svg",
  "/static/portal/icons/icon-192.png",
];
var PUBLIC_PAGES = /^\/(portal\/?$|guide\/)/;
var NETWORK_WAIT_MS = 6000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(VERSION).then(function (cache) {
      // The portal home without cookies: the anonymous page, never someone's signed-in one.
      var home = fetch(new Request("/portal/", { credentials: "omit" })).then(function (response) {
        return response.ok ? cache.put("/portal/", response) : undefined;
      }).catch(function () { /* installed offline: the home is stored on the next visit */ });
      return Promise.all([cache.addAll(SHELL), home]);
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== VERSION; }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

function withoutPrivateParts(response) {
  return response.text().then(function (html) {
    if (html.indexOf('id="tm-idle"') !== -1) { return null; }  // a hall terminal's page: not kept
    var clean = html.replace(/<!--private-->[\s\S]*?<!--\/private-->/g, "");
    return new Response(clean, { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

function timeout(ms) {
  return new Promise(function (resolve, reject) { setTimeout(function () { reject(new Error("slow")); }, ms); });
}

function fromCacheOrOffline(request) {
  return caches.match(request, { ignoreSearch: false }).then(function (hit) {
    return hit || caches.match(OFFLINE);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }

  if (url.pathname.indexOf("/static/") === 0) {
    // Shell assets: answer from the cache at once, refresh it in the background.
    event.respondWith(caches.open(VERSION).then(function (cache) {
      return cache.match(request).then(function (hit) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
        return hit || fresh;
      });
    }));
    return;
  }

  if (request.mode !== "navigate") { return; }
  if (PUBLIC_PAGES.test(url.pathname)) {
    event.respondWith(
      Promise.race([fetch(request), timeout(NETWORK_WAIT_MS)]).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.ok && type.indexOf("text/html") === 0) {
          var copy = response.clone();
          withoutPrivateParts(copy).then(function (clean) {
            if (clean) { caches.open(VERSION).then(function (cache) { cache.put(request, clean); }); }
          });
        }
        return response;
      }).catch(function () { return fromCacheOrOffline(request); })
    );
    return;
  }
  // Everything else goes to the network; without one, the offline notice (never a stored personal page).
  event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE); }));
});
