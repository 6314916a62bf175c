/**
 * The page-side clock and counters the browser benches read (`browser.mjs`, `timeline.mjs`):
 * installed before any page script, as `window[name]`: fetches in flight and when the last
 * one ended, the last DOM change, the last `input` event. `extra` is more script run inside
 * the same closure, with `b` bound to those counters.
 */
export function pageClock(name, extra = '') {
  return `(() => {
  const b = (window.${name} = { inflight: 0, lastMutation: 0, lastFetchEnd: 0, lastInput: 0 });
  new MutationObserver(() => (b.lastMutation = performance.now())).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
  document.addEventListener('input', () => (b.lastInput = performance.now()), true);
  const fetch = window.fetch;
  window.fetch = function (input, init) {
    b.inflight++;
    const done = () => { b.inflight--; b.lastFetchEnd = performance.now(); };
    const response = fetch.call(this, input, init);
    response.then(done, done);
    return response;
  };
${extra}
})();`;
}
