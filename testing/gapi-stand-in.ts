/**
 * A stand-in for Google's gapi loader (https://apis.google.com/js/api.js), which this machine
 * cannot download. Firebase Auth's popup sign-in relays the result from the sign-in window to the
 * app through a hidden iframe of the Auth emulator, and both sides of that relay talk through
 * gapi.iframes. This implements the few calls they make (load, getContext().open / ping / restyle /
 * register / send, getParentIframe) over postMessage, so the real SDK, the real Auth emulator and
 * its real sign-in page do the rest. It is served only to test browsers, never shipped.
 */
import type { BrowserContext } from 'playwright-core';

const GAPI_STAND_IN = String.raw`(() => {
  const MARK = '__gapiStandIn';
  // A message channel to one window: named handlers, replies by id, and sends queued until the
  // other side registers a handler for them (gapi delivers them once the handler exists, too).
  function channel(target) {
    const handlers = {};
    const waiting = {};
    const replies = {};
    let nextId = 0;
    function deliver(message, source) {
      const handler = handlers[message.name];
      if (!handler) {
        (waiting[message.name] = waiting[message.name] || []).push([message, source]);
        return;
      }
      Promise.resolve(handler(message.payload)).then((result) => {
        source.postMessage({ [MARK]: true, kind: 'reply', id: message.id, results: [result] }, '*');
      });
    }
    window.addEventListener('message', (event) => {
      const message = event.data;
      if (!message || message[MARK] !== true || event.source !== target()) return;
      if (message.kind === 'send') deliver(message, event.source);
      if (message.kind === 'reply' && replies[message.id]) {
        const reply = replies[message.id];
        delete replies[message.id];
        // gapi swallows what a reply callback throws; Firebase's webStorageSupport callback
        // throws after answering, by design.
        try {
          reply(message.results);
        } catch {}
      }
    });
    return {
      register(name, handler) {
        handlers[name] = handler;
        for (const [message, source] of waiting[name] || []) deliver(message, source);
        delete waiting[name];
      },
      send(name, payload, callback) {
        const id = ++nextId;
        replies[id] = callback || (() => {});
        target().postMessage({ [MARK]: true, kind: 'send', name, payload, id }, '*');
      },
    };
  }

  const context = {
    open(options, onOpen) {
      const element = document.createElement('iframe');
      for (const [name, value] of Object.entries(options.attributes || {})) {
        if (name === 'style') Object.assign(element.style, value);
        else element.setAttribute(name, value);
      }
      const loaded = new Promise((resolve) => element.addEventListener('load', resolve, { once: true }));
      element.src = options.url;
      options.where.appendChild(element);
      const frame = channel(() => element.contentWindow);
      frame.restyle = () => Promise.resolve();
      frame.ping = (callback) => loaded.then(() => callback && callback([]));
      return Promise.resolve(onOpen ? onOpen(frame) : frame);
    },
    getParentIframe() {
      return channel(() => window.parent);
    },
  };

  window.gapi = {
    load(_name, options) {
      const callback = typeof options === 'function' ? options : options.callback;
      callback();
    },
    iframes: { CROSS_ORIGIN_IFRAMES_FILTER: () => true, Iframe: function Iframe() {}, getContext: () => context },
  };
  const onload = new URL(document.currentScript.src).searchParams.get('onload');
  if (onload && typeof window[onload] === 'function') window[onload]();
  if (typeof window.gapi_onload === 'function') window.gapi_onload();
})();`;

/** Serves the stand-in wherever a page of this context asks for gapi. */
export async function serveGapiStandIn(context: BrowserContext): Promise<void> {
  await context.route('https://apis.google.com/js/api.js*', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: GAPI_STAND_IN }),
  );
}
