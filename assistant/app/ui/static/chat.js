// The chat's behaviour in the browser (run by Gradio as the chat component's js_on_load: `element`,
// `server` and `watch` are given). Listeners are delegated to `element`, so they survive every re-render.
// Texts come from data attributes the server rendered (messages.py): no words live here.
(() => {
  const log = () => element.querySelector('.chat-log');
  const say = (node, key) => { if (node) node.textContent = log()?.dataset[key] || ''; };

  function openSource(link) {
    const card = element.querySelector('#' + CSS.escape(link.getAttribute('href').slice(1)));
    if (!card) return;
    const details = card.closest('details');
    if (details) details.open = true;
    card.classList.remove('flash');
    void card.offsetWidth;  // restart the highlight
    card.classList.add('flash');
    card.scrollIntoView({ block: 'nearest' });
    card.focus({ preventScroll: true });
  }

  async function copy(text, statusNode) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (_) {  // no clipboard permission: the older way
      const area = document.createElement('textarea');
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    say(statusNode, 'copied');
  }

  async function rate(bubble, rating, note) {
    const payload = Object.assign(JSON.parse(bubble.dataset.feedback), { rating, note: note || '' });
    let ok = false;
    try { ok = await server.save_feedback(payload); } catch (_) { ok = false; }
    say(bubble.querySelector('.act-status'), ok ? 'saved' : 'failed');
    return ok;
  }

  element.addEventListener('click', (event) => {
    const link = event.target.closest('a.cite');
    if (link) { event.preventDefault(); openSource(link); return; }
    const button = event.target.closest('button.act');
    if (!button) return;
    const bubble = button.closest('.bubble');
    if (button.classList.contains('copy-chat')) {
      const turns = [...element.querySelectorAll('.plain-turn')].map((node) => node.textContent);
      copy(turns.join('\n\n'), null);
      button.dataset.done = '1';
    } else if (button.classList.contains('copy')) {
      copy(bubble.querySelector('.plain-answer').textContent, bubble.querySelector('.act-status'));
    } else if (button.classList.contains('fb')) {
      const rating = button.dataset.rating;
      bubble.querySelectorAll('button.fb').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
      rate(bubble, rating, '');
      const form = bubble.querySelector('form.fb-note');
      form.hidden = rating !== 'down';
      if (!form.hidden) form.querySelector('textarea').focus();
    }
  });

  element.addEventListener('submit', (event) => {
    const form = event.target.closest('form.fb-note');
    if (!form) return;
    event.preventDefault();
    rate(form.closest('.bubble'), 'down', form.querySelector('textarea').value).then((ok) => { form.hidden = ok; });
  });

  // A preview can be dismissed with Escape without moving focus (WCAG 1.4.13).
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') event.target.closest('.cite-wrap')?.classList.add('dismissed');
  });
  element.addEventListener('focusout', (event) => event.target.closest('.cite-wrap')?.classList.remove('dismissed'));

  // New content: follow it down unless the reader scrolled up to read something older.
  let pinned = true;
  element.addEventListener('scroll', (event) => {
    const box = event.target;
    if (box.classList?.contains('chat-log')) pinned = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
  }, true);
  watch('value', () => {
    const box = log();
    if (box && pinned) box.scrollTop = box.scrollHeight;
  });
})();
