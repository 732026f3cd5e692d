// Runs first in the page (injected by ui/locale.py, before Gradio's scripts): the browser reports Arabic, so
// Gradio loads its Arabic strings; screen-reader labels Gradio never translates are rewritten as they appear,
// from messages.GRADIO_LABELS (a key ending in a space is a prefix).
(() => {
  const navigatorPrototype = Navigator.prototype;
  Object.defineProperty(navigatorPrototype, 'language', { get: () => 'ar', configurable: true });
  Object.defineProperty(navigatorPrototype, 'languages', { get: () => ['ar'], configurable: true });
  const labels = Object.entries(__LABELS__);
  const fix = (el) => {
    for (const name of ['aria-label', 'title']) {
      const value = el.getAttribute && el.getAttribute(name);
      if (!value) continue;
      for (const [english, arabic] of labels) {
        if (value === english || (english.endsWith(' ') && value.startsWith(english))) {
          el.setAttribute(name, arabic + value.slice(english.length));
          break;
        }
      }
    }
  };
  const fixAll = (root) => {
    fix(root);
    if (root.querySelectorAll) root.querySelectorAll('[aria-label],[title]').forEach(fix);
  };
  document.addEventListener('DOMContentLoaded', () => {
    fixAll(document.body);
    new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === 'attributes') fix(change.target);
        else change.addedNodes.forEach(fixAll);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true,
                                attributeFilter: ['aria-label', 'title'] });
  });
})();
