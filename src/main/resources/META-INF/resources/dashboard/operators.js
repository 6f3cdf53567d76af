// Operators (webhook workers of a channel): the overview's table with create, edit, pause/resume and delete.
import { api } from './api.js';
import { h, href, link, time, table } from './dom.js';

export function operatorSection(operators, ctx) {
  return h('section', { 'aria-labelledby': 'operators-h' },
    h('h2', { id: 'operators-h' }, 'Operators'),
    h('div', { class: 'actions' }, ctx.button('New operator…', () => edit(null), { key: 'new-operator' })),
    table('Operators: webhooks that receive the tasks of a channel', [
      ['Channel', (o) => link(href.channel(o.channel), o.channel)],
      ['URL', (o) => h('code', { class: 'wrap' }, o.url)],
      ['Paused', (o) => (o.isPaused ? h('strong', {}, 'Yes') : 'No')],
      ['Created', (o) => time(o.createdAt)],
      ['Actions', (o) => h('div', { class: 'actions' },
        ctx.button('Edit…', () => edit(o), { aria: `Edit operator of ${o.channel}`, key: o._id }),
        o.isPaused
          ? ctx.button('Resume', () => api.updateOperator(o._id, { isPaused: false }),
            { aria: `Resume operator of ${o.channel}`, key: o._id })
          : ctx.button('Pause', () => api.updateOperator(o._id, { isPaused: true }),
            { aria: `Pause operator of ${o.channel}`, key: o._id }),
        ctx.button('Delete', () => api.deleteOperator(o._id), {
          aria: `Delete operator of ${o.channel}`, key: o._id, danger: true,
          confirm: `Delete the operator of channel "${o.channel}" (${o.url})?\n\nIts tasks stay; workers can still `
            + 'acquire them.',
        }))],
    ], operators, 'No operator.'));
}

const $ = (id) => document.getElementById(id);

/** The operator dialog, filled with o (null: a new operator); resolves once saved or cancelled. */
function edit(o) {
  const dialog = $('operator-dialog');
  const form = dialog.querySelector('form');
  const error = $('operator-error');
  $('operator-title').textContent = o ? 'Edit operator' : 'New operator';
  $('operator-channel').value = o?.channel ?? '';
  $('operator-url').value = o?.url ?? '';
  $('operator-config').value = o?.requestConfig ? JSON.stringify(o.requestConfig, null, 2) : '';
  $('operator-paused').checked = Boolean(o?.isPaused);
  error.hidden = true;
  dialog.showModal();
  return new Promise((resolve) => {
    const done = () => {
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('close', done);
      resolve();
    };
    const submit = async (e) => {
      e.preventDefault();
      if (e.submitter?.value === 'cancel') return dialog.close();
      const body = { channel: $('operator-channel').value, url: $('operator-url').value,
        isPaused: $('operator-paused').checked };
      const config = $('operator-config').value.trim();
      try {
        body.requestConfig = config ? JSON.parse(config) : null;
      } catch (x) {
        return say(`The request config is not JSON: ${x.message}`);
      }
      try {
        if (o) await api.updateOperator(o._id, body);
        else await api.createOperator(body);
        return dialog.close();
      } catch (x) {
        return say(x.message);
      }
    };
    const say = (message) => {
      error.textContent = message;
      error.hidden = false;
    };
    form.addEventListener('submit', submit);
    dialog.addEventListener('close', done);
  });
}
