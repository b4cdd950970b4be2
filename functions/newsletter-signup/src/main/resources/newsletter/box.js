'use strict';
// The newsletter box on every page works as a plain form; with this script it answers in place.
(() => {
  for (const form of document.querySelectorAll('form.newsletter-box')) {
    const status = form.querySelector('.newsletter-status');
    const button = form.querySelector('button[type="submit"]');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const fields = Object.fromEntries(new FormData(form).entries());
      button.disabled = true;
      status.textContent = 'Sending…';
      try {
        const response = await fetch(form.action, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(fields),
        });
        const body = await response.json().catch(() => ({}));
        if (response.status === 202) {
          status.textContent = body.message || 'Check your inbox to confirm.';
          form.querySelector('input[name="email"]').value = '';
        } else if (response.status === 400 && Array.isArray(body.errors)) {
          status.textContent = body.errors.map((error) => error.message).join('. ') + '.';
        } else if (response.status === 429) {
          status.textContent = body.detail || 'Too many signups from here just now: please try again later.';
        } else {
          status.textContent = 'We could not sign you up just now. Please try again in a minute.';
        }
      } catch (err) {
        status.textContent = 'We could not reach the site. Check your connection and try again.';
      } finally {
        button.disabled = false;
      }
    });
  }
})();
