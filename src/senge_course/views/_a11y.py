"""Accessible names for ipywidgets' sliders and Play buttons, and a live region for the figures.

ipywidgets draws a slider with noUiSlider, whose handle (``role="slider"``) has no
accessible name: a screen reader announces "slider, 25" without saying what it sets,
and axe-core reports it (rule ``aria-input-field-name``); the Play widget's buttons
are icons without a name.  ipywidgets has no option for either, so every app carries
one invisible `AriaLabels` widget whose front-end code names each slider handle (and
its editable readout) after the slider's description, and each Play button after what
it does, and keeps doing so as controls are added or redrawn.

It also keeps a polite live region (``<div class="senge-live" aria-live="polite">``) inside
itself, so it outlives every redraw: whenever a figure's text summary (``.senge-summary``)
changes, the new summary is written there and a screen reader reads it once the learner stops
moving the control, without moving focus away from it.

And it keeps a control's keys for the control: in a notebook's command mode, JupyterLab binds
arrow keys, letters and digits to cell commands wherever focus is except in text fields, so an
arrow key on a dropdown moved to the next cell and X on a button cut the cell.  A keydown
listener on the app stops those keys (without Ctrl, Alt or Meta) from bubbling past it, after
the control below it has used them; JupyterLab listens on the document, in the bubbling phase.
"""

import anywidget
import ipywidgets as widgets

__all__ = ["AriaLabels"]

_ESM = r"""
const PLAY = ['Play or pause the rounds', 'Stop: back to round 0', 'Repeat'];

function nameControls(app) {
  for (const box of app.querySelectorAll('.widget-slider')) {
    const text = (box.querySelector('.widget-label')?.textContent || '').trim();
    if (!text) continue;
    for (const handle of box.querySelectorAll('.noUi-handle')) {
      if (handle.getAttribute('aria-label') !== text) handle.setAttribute('aria-label', text);
    }
    const readout = box.querySelector('.widget-readout');
    if (readout && readout.getAttribute('aria-label') !== text + ' (value)') {
      readout.setAttribute('aria-label', text + ' (value)');
    }
  }
  app.querySelectorAll('.widget-play button').forEach((button, i) => {
    const name = PLAY[i % 3];
    if (button.getAttribute('aria-label') !== name) {
      button.setAttribute('aria-label', name);
      button.setAttribute('title', name);
    }
  });
}

// Keys a focused control uses.  In a notebook's command mode JupyterLab binds them to cell
// commands wherever focus is, unless it is in a text field (:read-write): ArrowDown on a
// dropdown selected the next cell instead of the next option, X on a button cut the cell.
const CONTROL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End',
  'PageUp', 'PageDown', ' ']);

function keepKeys(app) {
  if (app.dataset.sengeKeys) return;
  app.dataset.sengeKeys = 'kept';
  app.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;  // Ctrl+S and the like go on
    const target = event.target;
    if (!(target instanceof Element) || target === app || target.matches(':read-write')) return;
    // the control has done its work (listeners below the app); JupyterLab listens above it
    if (CONTROL_KEYS.has(event.key) || event.key.length === 1) event.stopPropagation();
  });
}

function announce(app, live, seen) {
  const now = [...app.querySelectorAll('.senge-summary')].map((p) => p.textContent.trim());
  const changed = now.filter((text, i) => text && text !== seen[i]);
  seen.splice(0, seen.length, ...now);
  if (changed.length && live.textContent !== changed.join(' ')) {
    live.textContent = changed.join(' ');
  }
}

export default {
  render({ el }) {
    const live = document.createElement('div');
    live.className = 'senge-live';
    live.setAttribute('aria-live', 'polite');
    live.setAttribute('aria-atomic', 'true');
    el.appendChild(live);
    const seen = [];
    let tries = 0;
    const start = () => {
      const app = el.closest('.senge-app');
      if (!app) { if (tries++ < 100) setTimeout(start, 50); return; }
      nameControls(app);
      keepKeys(app);
      live.textContent = [...app.querySelectorAll('.senge-summary')]
        .map((p) => p.textContent.trim()).filter(Boolean).join(' ');
      announce(app, live, seen);
      new MutationObserver(() => {
        nameControls(app);
        announce(app, live, seen);
      }).observe(app, { subtree: true, childList: true, characterData: true });
    };
    start();
  },
};
"""


# ipywidgets' slider handles and editable readouts show no focus ring (keyboard users cannot see
# where they are); Lumino's tab bars and the buttons keep theirs, drawn the same way here.
_CSS = """
.senge-app .noUi-handle:focus-visible,
.senge-app .widget-readout:focus-visible,
.senge-app .lm-TabBar-tab:focus-visible,
.senge-app button:focus-visible,
.senge-app select:focus-visible,
.senge-app input:focus-visible {
  outline: 2px solid #0072B2 !important;  /* JupyterLab's widget styles remove it */
  outline-offset: 2px;
}
"""


class AriaLabels(anywidget.AnyWidget):
    """An invisible widget that gives the sliders of its app an accessible name, holds the
    app's live region of figure summaries and draws a visible focus ring on every control."""

    _esm = _ESM
    _css = _CSS

    def __init__(self, **kwargs):
        super().__init__(
            layout=widgets.Layout(width="0px", height="0px", overflow="hidden"), **kwargs
        )
