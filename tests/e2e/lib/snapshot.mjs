// The app's first screen as HTML, taken at the mark `ccb-app-ready` (its first render and that render's effects
// done): used by scripts/prerender.mjs to write index.html's prerendered first screen and by
// tests/e2e/prerender.test.mjs to check that screen against the app's own.

/** For `page.addInitScript`: at the mark, `window.__ccbSnapshot` becomes { html, lang, theme, title }, `html` the
 * nodes the app put into <body>, each marked `data-ccb-prerender` and `inert`, with what the DOM holds only as
 * properties (an input's value, a checkbox's state, the option chosen) written as attributes. Taken in the
 * observer's callback, the first task after the mark: before anything loaded later changes the page. */
export function snapshotAtAppReady() {
  const take = () => {
    const keep = (n) => !(n.nodeName === 'SCRIPT' || n.nodeName === 'NOSCRIPT' || n.nodeName === 'TEMPLATE' || n.nodeType === Node.COMMENT_NODE);
    const live = [...document.body.childNodes].filter(keep).filter((n) => !(n.nodeType === Node.ELEMENT_NODE && n.hasAttribute('data-ccb-prerender')));
    const fields = (root) => (root.querySelectorAll ? [...root.querySelectorAll('input, textarea, select')] : []);
    const html = live.map((n) => {
      const c = n.cloneNode(true);
      const to = fields(c);
      fields(n).forEach((f, k) => {
        const copy = to[k];
        if (f instanceof HTMLInputElement) {
          if (f.type === 'checkbox' || f.type === 'radio') copy.toggleAttribute('checked', f.checked);
          else copy.setAttribute('value', f.value);
        } else if (f instanceof HTMLTextAreaElement) {
          copy.textContent = f.value;
        } else if (f instanceof HTMLSelectElement) {
          [...f.options].forEach((o, j) => copy.options[j].toggleAttribute('selected', o.selected));
        }
      });
      if (c.nodeType !== Node.ELEMENT_NODE) return c.textContent.trim() ? c.textContent : '';
      c.setAttribute('data-ccb-prerender', '');
      // Seen, not used: until the app replaces it, nothing in it takes focus, clicks or typing.
      c.setAttribute('inert', '');
      return c.outerHTML;
    }).join('');
    const root = document.documentElement;
    window.__ccbSnapshot = { html, lang: root.lang, theme: root.dataset.theme || '', title: document.title };
  };
  new PerformanceObserver((list) => {
    if (list.getEntriesByName('ccb-app-ready').length) take();
  }).observe({ type: 'mark' });
}
