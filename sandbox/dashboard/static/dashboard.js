/* global document, window, fetch, setTimeout */
// The sandbox dashboard: polls GET /sandbox/state about once a second and redraws; the controls call
// PUT /sandbox/traffic and PUT /sandbox/mode. Plain script, no build step, no libraries.
'use strict';

(function () {
  const POLL_MS = 1000;
  const SVG = 'http://www.w3.org/2000/svg';
  // The chart's size in its own units, and the least margins around the plot; drawChart widens them to fit
  // the labels, which are larger at phone width (the chart is scaled down there, its labels are not).
  const CHART = { width: 900, height: 260, left: 44, right: 40, top: 24, bottom: 46, band: 14 };
  // The least height the chart shows on screen, in px: 900 × 260 scaled to a phone's 360 px would be some
  // 100 px, its plot a strip. Where the page is that narrow, the chart is drawn taller in its own units.
  const MIN_SHOWN_HEIGHT_PX = 260;
  const PHASE_COLORS = {
    Lambda: ['#f08c00', 0.35],
    ScalingUp: ['#ae3ec9', 0.5],
    Fargate: ['#1c7ed6', 0.35],
    ScalingDown: ['#37b24d', 0.5],
    Error: ['#e03131', 0.5],
    Deleting: ['#495057', 0.4],
    Deleted: ['#ffffff', 0],
  };
  const $ = (id) => document.getElementById(id);
  let latest;

  function text(id, value) {
    $(id).textContent = value;
  }

  function usd(value) {
    return value < 1 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
  }

  /** `2026-01-01 00:50`: with its year, as `status` and `events` print the simulated time. */
  function clock(ms) {
    return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  }

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }

  /** The tasks axis: a whole, even count from 2 up, so that its middle tick is a whole count too. */
  function niceTaskMax(value) {
    const nice = niceMax(value);
    return nice < 2 ? 2 : nice % 2 === 0 ? nice : nice * 2;
  }

  /** A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least `value`. */
  function niceMax(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value);
  }

  /** The width of a label in the chart's units, as the stylesheet sizes it there. */
  function labelWidth(svg, content) {
    const probe = el('text', {}, svg);
    probe.textContent = content;
    const width = probe.getBBox().width;
    probe.remove();
    return width;
  }

  /** The labels' font size in the chart's units: 11 on a desktop, more at phone width. */
  function labelSize(svg) {
    const probe = el('text', {}, svg);
    const size = parseFloat(window.getComputedStyle(probe).fontSize) || 11;
    probe.remove();
    return size;
  }

  /**
   * The chart's height in its own units: CHART.height, or more where it is shown so narrow that it would
   * be less than MIN_SHOWN_HEIGHT_PX high (a phone). Its width stays 900 units, so that the margins and
   * labels are measured as everywhere else.
   */
  function chartHeight(svg) {
    const shownWidth = svg.getBoundingClientRect().width;
    if (!(shownWidth > 0)) return CHART.height;
    return Math.max(CHART.height, Math.round((CHART.width * MIN_SHOWN_HEIGHT_PX) / shownWidth));
  }

  function drawChart(state) {
    const svg = $('chart');
    svg.replaceChildren();
    const minutes = state.minutes;
    const width = CHART.width;
    const height = chartHeight(svg);
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const thresholds = state.thresholds;
    text(
      'threshold-rates',
      thresholds ? ` (scale up ${thresholds.scaleUp} rps, scale down ${thresholds.scaleDown} rps)` : '',
    );
    if (minutes.length === 0) {
      el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, svg).textContent =
        'waiting for the first simulated minute…';
      return;
    }
    // The scale-up line stays in view: the chart reaches a little above it even while traffic is low.
    const maxRps = niceMax(Math.max(...minutes.map((m) => m.rps), thresholds ? thresholds.scaleUp * 1.2 : 0));
    const maxTasks = niceTaskMax(Math.max(1, ...minutes.map((m) => m.tasks)));
    // Margins that hold the labels: the rps ticks and their axis name on the left, the task ticks and
    // theirs on the right (and half a time label, centred on the last minute), the axis names above the
    // plot, the phase band and the time labels below it.
    const font = labelSize(svg);
    const gap = font / 2;
    const halfTime = labelWidth(svg, '00:00') / 2;
    const left = Math.max(
      CHART.left,
      gap + Math.max(labelWidth(svg, String(maxRps)), labelWidth(svg, 'rps'), halfTime),
    );
    const right = Math.max(
      CHART.right,
      gap + Math.max(labelWidth(svg, String(maxTasks)), labelWidth(svg, 'tasks'), halfTime),
    );
    const top = Math.max(CHART.top, font * 2.2);
    const band = CHART.band;
    const bottom = Math.max(CHART.bottom, 6 + band + font * 1.5);
    const plotW = width - left - right;
    const plotH = height - top - bottom;
    const first = minutes[0].minute;
    const span = Math.max(1, minutes[minutes.length - 1].minute - first + 1);
    const step = plotW / span;
    const x = (minute) => left + (minute - first) * step;
    const y = (rps) => top + plotH - (rps / maxRps) * plotH;
    const yTasks = (tasks) => top + plotH - (tasks / maxTasks) * plotH;

    for (const fraction of [0, 0.5, 1]) {
      const value = maxRps * fraction;
      el('line', { x1: left, x2: left + plotW, y1: y(value), y2: y(value), stroke: '#e9ecef' }, svg);
      el('text', { x: left - gap, y: y(value) + font * 0.35, 'text-anchor': 'end' }, svg).textContent =
        String(value);
      // Tasks come whole: a label only where the count is a whole number, at the height of that count.
      const taskTick = maxTasks * fraction;
      if (Number.isInteger(taskTick)) {
        const label = el('text', { x: left + plotW + gap, y: yTasks(taskTick) + font * 0.35 }, svg);
        label.textContent = String(taskTick);
        label.setAttribute('class', 'task-tick');
      }
    }
    // Axis names above the plot, clear of the tick labels.
    el('text', { x: left - gap, y: font, 'text-anchor': 'end' }, svg).textContent = 'rps';
    el('text', { x: left + plotW + gap, y: font }, svg).textContent = 'tasks';

    // Each minute's requests as a stacked bar: Lambda's part below, Fargate's above, then what reached
    // neither tier (before the first DNS answer) in grey.
    for (const m of minutes) {
      const lambdaRps = m.rps * m.lambdaShare;
      const fargateRps = m.rps * m.fargateShare;
      const unroutedRps = m.rps * m.unroutedShare;
      const w = Math.max(1, step - 0.5);
      // One band of the bar, from `bottom` to `top` requests per second.
      const band = (bottom, top, fill) =>
        el(
          'rect',
          { x: x(m.minute), y: y(top), width: w, height: y(bottom) - y(top), fill, class: 'rps-bar' },
          svg,
        );
      band(0, lambdaRps, '#f08c00');
      band(lambdaRps, lambdaRps + fargateRps, '#1c7ed6');
      band(lambdaRps + fargateRps, lambdaRps + fargateRps + unroutedRps, '#ced4da');
    }
    // Demand, including requests that reached no tier, as a line over the bars.
    const demand = minutes
      .map((m) => `${x(m.minute)},${y(m.rps)} ${x(m.minute) + step},${y(m.rps)}`)
      .join(' ');
    el(
      'polyline',
      { points: demand, fill: 'none', stroke: '#495057', 'stroke-width': 1, 'stroke-dasharray': '3 2' },
      svg,
    );
    // Auto mode's rates: above the upper line for a while, the stack moves to Fargate; below the lower, back.
    // The legend names both rates always; in the plot each line is named where its label covers no bar,
    // no other label and no other line, and nowhere when the traffic leaves no such place.
    if (thresholds) {
      const lines = [
        ['scale up', thresholds.scaleUp],
        ['scale down', thresholds.scaleDown],
      ].filter(([, value]) => value <= maxRps);
      const placed = [];
      for (const [name, value] of lines) {
        const line = el(
          'line',
          {
            x1: left,
            x2: left + plotW,
            y1: y(value),
            y2: y(value),
            stroke: '#c92a2a',
            'stroke-dasharray': '6 3',
          },
          svg,
        );
        line.setAttribute('class', 'threshold');
        line.dataset.threshold = name;
      }
      for (const [name, value] of lines) {
        const content = `${name} ${value} rps`;
        const others = lines.filter(([other]) => other !== name).map(([, rate]) => y(rate));
        const box = labelPlace({ width: labelWidth(svg, content), lineY: y(value), others, placed });
        if (!box) continue;
        placed.push(box);
        const label = el('text', { x: box.x, y: box.y + box.height - font * 0.25 }, svg);
        label.textContent = content;
        label.setAttribute('class', 'threshold-label');
      }
    }

    /**
     * Where a threshold's label fits: on its line (just above it, else just below), from the left, clear of
     * every minute's bar and demand line, of the tasks line, of the other thresholds' lines and of the
     * labels already placed. Undefined when nowhere.
     */
    function labelPlace({ width: labelW, lineY, others, placed }) {
      const height = font * 1.1;
      const clearOf = (box) => {
        if (box.y < top || box.y + box.height > top + plotH) return false;
        if (others.some((otherY) => otherY >= box.y && otherY <= box.y + box.height)) return false;
        if (
          placed.some(
            (p) =>
              box.x < p.x + p.width &&
              p.x < box.x + box.width &&
              box.y < p.y + p.height &&
              p.y < box.y + box.height,
          )
        )
          return false;
        return minutes.every((m, i) => {
          const mx = x(m.minute);
          if (mx + step <= box.x || mx >= box.x + box.width) return true;
          const taskY = yTasks(m.tasks);
          // Where the count changes, the tasks line rises or falls at the minute's left edge: that upright
          // crosses every height between the two counts.
          const fromY = i > 0 ? yTasks(minutes[i - 1].tasks) : taskY;
          const upright =
            mx >= box.x && Math.min(fromY, taskY) <= box.y + box.height && Math.max(fromY, taskY) >= box.y;
          return y(m.rps) >= box.y + box.height && (taskY < box.y || taskY > box.y + box.height) && !upright;
        });
      };
      for (const boxY of [lineY - 2 - height, lineY + 2]) {
        for (let at = left + gap; at + labelW <= left + plotW; at += Math.max(step, 1)) {
          const box = { x: at, y: boxY, width: labelW, height };
          if (clearOf(box)) return box;
        }
      }
      return undefined;
    }
    const tasks = minutes.map(
      (m) => `${x(m.minute)},${yTasks(m.tasks)} ${x(m.minute) + step},${yTasks(m.tasks)}`,
    );
    el('polyline', { points: tasks.join(' '), fill: 'none', stroke: '#212529', 'stroke-width': 2 }, svg);

    // The phase band under the plot, one rectangle per minute.
    const bandY = top + plotH + 6;
    for (const m of minutes) {
      // No phase: a minute the sandbox did not watch, of which the record tells nothing (legend: unseen).
      const [color, opacity] = PHASE_COLORS[m.phase] || ['#adb5bd', 0.3];
      el(
        'rect',
        {
          x: x(m.minute),
          y: bandY,
          width: step + 0.3,
          height: band,
          fill: color,
          opacity,
          class: 'phase-band',
        },
        svg,
      );
    }
    // Time labels: the start, the middle and the end of the window.
    for (const m of [minutes[0], minutes[Math.floor(minutes.length / 2)], minutes[minutes.length - 1]]) {
      el('text', { x: x(m.minute), y: bandY + band + font * 1.3, 'text-anchor': 'middle' }, svg).textContent =
        new Date(m.at).toISOString().slice(11, 16);
    }
  }

  function percent(share) {
    return `${Math.round(share * 100)} %`;
  }

  function list(id, items, build) {
    $(id).replaceChildren(...items.map(build));
  }

  function item(textContent, className) {
    return Object.assign(document.createElement('li'), { textContent, className: className || '' });
  }

  function render(state) {
    latest = state;
    text('stack', state.stack);
    text('clock', clock(state.now));
    text('speed', state.speed === 60 ? 'one simulated minute per second' : `${state.speed}× real time`);
    const phase = $('phase');
    phase.textContent = state.phase;
    phase.dataset.phase = state.phase;
    $('deleting').hidden = !state.deletionRequested || state.phase === 'Deleted';
    text('reason', state.reason || '');
    list('waiting', state.waitingFor, (w) => item(`waiting for ${w}`));

    // The bar and the first line: what the last minute served, as the chart's last bar. The second line:
    // the Route 53 weights, or why there are none, as `lambdaflex status` says it.
    const served = state.traffic.served;
    $('share-lambda').style.width = percent(state.shares.lambda).replace(' ', '');
    $('share-fargate').style.width = percent(state.shares.fargate).replace(' ', '');
    text(
      'served',
      !served
        ? 'no simulated minute yet'
        : served.lambda + served.fargate + served.unrouted === 0
          ? // The clients send nothing: no share to give, as the console's line says.
            'last minute: nothing served (no request sent)'
          : `last minute: Lambda ${percent(served.lambda)} · Fargate ${percent(served.fargate)}` +
            (served.unrouted > 0 ? ` · no DNS answer ${percent(served.unrouted)}` : ''),
    );
    text('traffic-line', state.traffic.line);

    text('tasks', String(state.tasks));
    text('cost', usd(state.cost.actual));
    const saved = state.cost.alwaysLambda - state.cost.actual;
    text(
      'cost-baseline',
      state.phase === 'Deleted'
        ? `the stack was deleted: it cost ${usd(state.cost.deletedStack || 0)} while it existed`
        : state.cost.compared
          ? `always-Lambda: ${usd(state.cost.alwaysLambda)} (${saved >= 0 ? 'saved' : 'extra'} ${usd(Math.abs(saved))})`
          : 'on Lambda all along: the same as always-Lambda',
    );
    text('rps', String(state.rps));
    if (document.activeElement !== $('rps-input') && $('rps-input').value === '')
      $('rps-input').value = state.rps;
    text('version', state.version ?? '–');
    text('generation', state.generation ?? '–');
    // As get and status say it: a stack deleted and made again is back at generation 1, and only the
    // incarnation tells the two apart. A record from before incarnations has none.
    text('incarnation', state.incarnation === undefined ? '' : ` of incarnation ${state.incarnation}`);
    for (const button of document.querySelectorAll('[data-mode]')) {
      button.classList.toggle('active', button.dataset.mode === state.mode);
      // The colour says it to the eye; aria-pressed to a screen reader.
      button.setAttribute('aria-pressed', String(button.dataset.mode === state.mode));
    }
    const urls = [
      ['domain', state.urls.custom],
      ['Lambda', state.urls.lambda],
      ['Fargate', state.urls.fargate],
    ].filter(([, url]) => url);
    // Before the first pass the URLs are still to come; once the stack is deleted they are gone with it.
    const none = state.phase === 'Deleted' ? 'none: the stack was deleted' : 'none yet';
    list('urls', urls.length ? urls : [['', none]], ([name, url]) => {
      const li = document.createElement('li');
      if (name) li.append(Object.assign(document.createElement('b'), { textContent: `${name} ` }));
      li.append(url);
      return li;
    });

    $('problems-card').hidden = state.problems.length === 0;
    list('problems', state.problems, (p) => item(p));
    list('events', state.events, (e) => {
      const li = item('', e.type);
      const time = Object.assign(document.createElement('time'), { textContent: clock(e.at) });
      li.append(time, `${e.reason}: ${e.message}${e.count > 1 ? ` (×${e.count})` : ''}`);
      return li;
    });
    text('resources-title', `Resources (${state.resources.length})`);
    $('resources').tBodies[0].replaceChildren(
      ...state.resources.map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.state = r.state;
        for (const value of [r.key, r.kind.replace(/^AWS::/, ''), r.state, r.id]) {
          tr.append(Object.assign(document.createElement('td'), { textContent: value }));
        }
        return tr;
      }),
    );
    drawChart(state);
  }

  /** A message in the card of the control that caused it. */
  function say(id, message, isError) {
    const box = $(id);
    box.textContent = message;
    box.classList.toggle('error', Boolean(isError));
  }

  /** What a call that gets no answer at all means here: the sandbox was stopped (Ctrl-C). */
  const STOPPED = 'the sandbox does not answer: stopped? `npm start` in its folder starts it again';

  async function call(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    }).catch(() => {
      // fetch rejects only when no answer came (its TypeError says "Failed to fetch").
      throw new Error(STOPPED);
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.message || `${method} ${path}: HTTP ${response.status}`);
    return answer;
  }

  async function poll() {
    try {
      render(await call('GET', '/sandbox/state'));
      say('connection', '');
    } catch (error) {
      say('connection', error.message, true);
    }
    setTimeout(poll, POLL_MS);
  }

  async function setRps(rps) {
    try {
      render(await call('PUT', '/sandbox/traffic', { rps }));
      $('rps-input').value = rps;
      say('traffic-message', `traffic set to ${rps} rps`);
    } catch (error) {
      say('traffic-message', error.message, true);
    }
  }

  $('traffic-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const raw = $('rps-input').value.trim();
    const rps = Number(raw);
    // An emptied box is not 0 rps: say what is wanted instead of sending it.
    if (raw === '' || !Number.isFinite(rps) || rps < 0 || rps > 10000) {
      say('traffic-message', 'enter the requests per second: a number from 0 to 10000', true);
      return;
    }
    setRps(rps);
  });
  for (const button of document.querySelectorAll('[data-rps]')) {
    button.addEventListener('click', () => setRps(Number(button.dataset.rps)));
  }
  for (const button of document.querySelectorAll('[data-mode]')) {
    button.addEventListener('click', async () => {
      if (!latest || latest.generation === undefined)
        return say('mode-message', 'the stack has no record: there is no mode to set', true);
      try {
        // Based on the spec this page last showed: a change made elsewhere meanwhile is not overwritten.
        // The incarnation with it: a stack deleted and created again starts again at generation 1.
        const body = {
          mode: button.dataset.mode,
          generation: latest.generation,
          incarnation: latest.incarnation,
        };
        render(await call('PUT', '/sandbox/mode', body));
        say('mode-message', `mode set to ${button.dataset.mode}`);
      } catch (error) {
        say('mode-message', `${error.message}`, true);
      }
    });
  }
  window.addEventListener('load', () => {
    // On a phone the resource table starts folded: the cards and the chart come first.
    if (window.matchMedia('(max-width: 640px)').matches) $('resources-box').open = false;
    poll();
  });
})();
