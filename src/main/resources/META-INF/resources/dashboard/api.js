// The public REST API, and nothing else. Paths are relative to /dashboard/ so that the dashboard keeps working
// when the service is mounted under a path prefix. Every value placed in a path goes through enc(): channel
// names, workgroup names and ids may contain '/', '?', '#' or anything else.
const enc = encodeURIComponent;

/** An API call that failed: status 0 when the service could not be reached. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// With authentication on, the first call that answers 401 asks for a token, once for all calls in flight; the
// token is kept for the browser tab's session (sessionStorage) and sent as a bearer token from then on. A refused
// prompt is not repeated at every refresh: the page shows the 401 until it is reloaded.
const TOKEN = 'crew.apiToken';
let asking = null;
let declined = false;

function askForToken(refused) {
  if (!asking) {
    asking = Promise.resolve().then(() => {
      const token = window.prompt(refused
        ? 'The service refused this token. API token (admin or worker):'
        : 'This service requires a token. API token (admin or worker):');
      if (token && token.trim()) {
        sessionStorage.setItem(TOKEN, token.trim());
        return true;
      }
      declined = true;
      return false;
    }).finally(() => { asking = null; });
  }
  return asking;
}

/** A query string of the params that have a value (undefined and null ones are left out). */
function query(params) {
  return new URLSearchParams(Object.entries(params).filter(([, v]) => v != null)).toString();
}

/** The Authorization header of the session's token, if one was given. */
export function authorization() {
  const token = sessionStorage.getItem(TOKEN);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function call(method, url, body, retried = false) {
  const token = sessionStorage.getItem(TOKEN);
  const init = { method, headers: { Accept: 'application/json', ...authorization() } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, `${method} ${shown(url)}: the service did not answer (${e.message})`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): reported by status below.
  }
  if (response.status === 401 && !retried && !declined) {
    // Another call may have been given a new token while this one was in flight.
    const renewed = sessionStorage.getItem(TOKEN) !== token || await askForToken(token !== null);
    if (renewed) {
      return call(method, url, body, true);
    }
  }
  if (!response.ok) {
    const message = json && typeof json.message === 'string' ? json.message : response.statusText;
    throw new ApiError(response.status, `${method} ${shown(url)}: ${response.status} ${message}`);
  }
  return json;
}

const shown = (url) => url.replace(/^\.\.\//, '/');

const get = (url) => call('GET', url);
// POST with an empty JSON object: the service's defaults apply (retry 2 attempts, reset 5 for groups).
const post = (url, body = {}) => call('POST', url, body);

export const api = {
  groups: (limit, skip) => get(`../api/v1/task_groups?${query({ limit, skip })}`),
  groupCount: () => get(`../api/v1/task_groups/count`),
  group: (id) => get(`../api/v1/task_group/${enc(id)}`),
  graph: (id) => get(`../api/v1/task_group/${enc(id)}/graph`),
  groupTasks: (id, limit, skip) => get(`../api/v1/task_group/${enc(id)}/tasks?${query({ limit, skip })}`),
  pauseGroup: (id) => post(`../api/v1/task_group/${enc(id)}/pause`),
  resumeGroup: (id) => post(`../api/v1/task_group/${enc(id)}/resume`),
  retryGroup: (id) => post(`../api/v1/task_group/${enc(id)}/retry`),
  cancelGroup: (id) => call('POST', `../api/v1/task_group/${enc(id)}/cancel`),
  resetGroup: (id) => post(`../api/v1/task_group/${enc(id)}/reset`),
  deleteGroup: (id) => call('DELETE', `../api/v1/task_group/${enc(id)}`),

  task: (id) => get(`../api/v1/task/${enc(id)}`),
  attempts: (id) => get(`../api/v1/task/${enc(id)}/attempts`),
  retryTask: (id) => post(`../api/v1/task/${enc(id)}/retry`),
  cancelTask: (id) => call('POST', `../api/v1/task/${enc(id)}/cancel`),
  failedTasks: ({ channel, workgroup, limit, skip }) =>
    get(`../api/v1/tasks?${query({ state: 'failed', channel, workgroup, limit, skip })}`),
  retryFailed: ({ channel, workgroup }) => post(`../api/v1/tasks/retry`, { state: 'failed', channel, workgroup }),
  resetTask: (id) => post(`../api/v1/task/${enc(id)}/reset`),
  pluckTask: (id) => call('POST', `../api/v1/task/${enc(id)}/pluck`),
  deleteTask: (id) => call('DELETE', `../api/v1/task/${enc(id)}`),

  channels: () => get(`../api/v1/channels`),
  channelTasks: (name, limit, skip) => get(`../api/v1/channel/${enc(name)}/tasks?${query({ limit, skip })}`),

  workgroups: () => get(`../api/v1/workgroups`),
  pauseWorkgroup: (name, seconds, reason) =>
    post(`../api/v1/workgroup/${enc(name)}/pause`, reason ? { seconds, reason } : { seconds }),
  resumeWorkgroup: (name) => post(`../api/v1/workgroup/${enc(name)}/resume`),
  // Every part is sent: null removes it.
  setWorkgroupLimits: (name, limits) => call('PUT', `../api/v1/workgroup/${enc(name)}`, limits),

  // limit 0: every operator (Crew's meaning of 0); there are few of them.
  operators: () => get(`../api/v1/operators?${query({ limit: 0 })}`),
  createOperator: (operator) => post(`../api/v1/operators`, operator),
  updateOperator: (id, changes) => call('PUT', `../api/v1/operator/${enc(id)}`, changes),
  deleteOperator: (id) => call('DELETE', `../api/v1/operator/${enc(id)}`),

  schedules: () => get(`../api/v1/schedules?${query({ limit: 0 })}`),
  schedule: (id) => get(`../api/v1/schedule/${enc(id)}`),
  scheduleNext: (id, count) => get(`../api/v1/schedule/${enc(id)}/next?${query({ count })}`),
  scheduleRuns: (id, limit) => get(`../api/v1/schedule/${enc(id)}/runs?${query({ limit })}`),
  previewSchedule: (schedule, count) => post(`../api/v1/schedules/preview?${query({ count })}`, schedule),
  createSchedule: (schedule) => post(`../api/v1/schedules`, schedule),
  updateSchedule: (id, schedule) => call('PUT', `../api/v1/schedule/${enc(id)}`, schedule),
  pauseSchedule: (id) => post(`../api/v1/schedule/${enc(id)}/pause`),
  resumeSchedule: (id) => post(`../api/v1/schedule/${enc(id)}/resume`),
  runSchedule: (id) => post(`../api/v1/schedule/${enc(id)}/run`),
  deleteSchedule: (id) => call('DELETE', `../api/v1/schedule/${enc(id)}`),
};

/** The live event streams (Server-Sent Events, not in the OpenAPI document: docs/operations.md). */
export const streams = {
  all: () => `../api/v1/events`,
  group: (id) => `../api/v1/task_group/${enc(id)}/events`,
};
