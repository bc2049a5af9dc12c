/* skillbite service worker: the app shell, the current session's pages and their media, for offline use.
   Pages are network-first (always fresh online), falling back to the cache offline; static files and
   media are served from the cache and refreshed in the background. Answers are never cached here: app.js queues them in
   IndexedDB and sends them when online. */
"use strict";
var VERSION = "v1";
var SHELL = "skillbite-shell-" + VERSION, SESSION = "skillbite-session", PAGES = "skillbite-pages-" + VERSION;
var SHELL_FILES = [
  "/static/app.css", "/static/learner.css", "/static/app.js", "/static/vendor/htmx-2.0.11.min.js",
  "/static/icon.svg", "/static/manifest.webmanifest"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return Promise.all(SHELL_FILES.map(function (url) { return cache.add(url).catch(function () { /* retried on first use */ }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== SHELL && n !== SESSION && n !== PAGES; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

/* The flashcard "show answer" link carries the time the card was shown; the cached copy is stored without it. */
function cacheKey(url) {
  var u = new URL(url);
  u.searchParams.delete("shown_at");
  return u.toString();
}

function storable(response) { return response && response.ok && !response.redirected && response.type === "basic"; }

function offlinePage() {
  return new Response(
    "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width, initial-scale=1'>" +
    "<title>Offline · skillbite</title><link rel=stylesheet href=/static/app.css><main id=main>" +
    "<h1>You are offline</h1><p>This page was not saved for offline use. Your saved answers are sent when you are back online.</p>" +
    "<p><a class=button href=/learn>Today</a></p></main></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) { return; }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/media/") === 0) {
    /* Stale-while-revalidate: the cached copy at once, refreshed in the background for the next visit. */
    event.respondWith(caches.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (storable(response)) {
          var copy = response.clone();
          caches.open(url.pathname.indexOf("/media/") === 0 ? SESSION : SHELL).then(function (c) { c.put(request, copy); });
        }
        return response;
      });
      if (hit) { fresh.catch(function () { /* offline */ }); return hit; }
      return fresh;
    }));
    return;
  }
  /* Only the learner's pages: every other page goes straight to the network, untouched. */
  var learnerPage = url.pathname === "/ask" || url.pathname === "/learn" || url.pathname.indexOf("/learn/") === 0;
  if (learnerPage && (request.mode === "navigate" || (request.headers.get("accept") || "").indexOf("text/html") >= 0)) {
    var key = cacheKey(request.url);
    event.respondWith(fetch(request).then(function (response) {
      if (storable(response)) {
        var copy = response.clone();
        caches.open(url.pathname === "/learn/play" ? SESSION : PAGES).then(function (c) { c.put(key, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(key).then(function (hit) { return hit || offlinePage(); });
    }));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "cache-session" && Array.isArray(data.urls)) {
    /* A new session replaces the previous one: only the current session's pages are kept. */
    event.waitUntil(caches.delete(SESSION).then(function () { return caches.open(SESSION); }).then(function (cache) {
      return Promise.all(data.urls.filter(function (u) { return typeof u === "string" && u.indexOf("/learn/play?") === 0; })
        .map(function (u) {
          return fetch(u, { credentials: "same-origin" }).then(function (response) {
            if (storable(response)) { return cache.put(cacheKey(new URL(u, self.location.origin).toString()), response); }
          }).catch(function () { /* offline meanwhile */ });
        }));
    }));
  } else if (data.type === "logout") {
    event.waitUntil(caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }));
  }
});
