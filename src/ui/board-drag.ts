/**
 * Drag to reorder on the board: recognises the gestures and leaves the geometry to the board.
 * A mouse (or pen) drag starts once the pointer has moved a few pixels with the button held; a
 * finger must rest on a card for APP.DRAG_LONG_PRESS_MS first, so a normal swipe still scrolls
 * (moving before the press completes hands the gesture back to the browser). While a finger
 * drags, its touchmove events are cancelled so the page does not scroll under it. The click that
 * ends a drag is swallowed, so dropping a card does not also open it. Esc cancels a mouse drag.
 * A long press released WITHOUT moving is not a drag but a selection (select several notes):
 * the lifted card is put back and `select` is called instead of `drop`.
 * Holding a dragged card near the top or bottom edge of the window scrolls the page, faster the
 * closer it is, so a card can be carried past what fits on one screen.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { APP } from '../constants.js';

/** Pixels a mouse moves with the button held before it counts as a drag, not a click. */
const MOUSE_DRAG_THRESHOLD_PX = 6;
/** Pixels a finger may wander during the long press; more is a swipe (the page scrolls). */
const TOUCH_SLOP_PX = 10;
/** How near the window's top or bottom edge a dragged card starts the page scrolling. */
const EDGE_SCROLL_ZONE_PX = 72;
/**
 * Fastest scroll, reached at the very edge, in pixels per second. Per second, not per frame: on a
 * busy or slow device frames come further apart, and the page scrolls as fast in bigger steps.
 */
const EDGE_SCROLL_MAX_PX_PER_S = 1_080;
/** A frame that comes later than this scrolls as if it had come then: a stall never jumps the page. */
const EDGE_SCROLL_MAX_FRAME_MS = 100;
/** How long the first frame of a scroll counts for (one frame at 60 Hz). */
const EDGE_SCROLL_FIRST_FRAME_MS = 1000 / 60;

export interface BoardDragCallbacks {
  /** Whether cards can be dragged now. */
  canDrag(): boolean;
  start(index: number, clientX: number, clientY: number): void;
  move(clientX: number, clientY: number): void;
  drop(): void;
  cancel(): void;
  /** A long press on touch, released where it started: select the card at `index`. */
  select(index: number): void;
}

interface Press {
  index: number;
  x: number;
  y: number;
  dragging: boolean;
  /** A touch drag has moved past the slop since the card was lifted (else its release selects). */
  moved: boolean;
}

export class BoardDragController implements ReactiveController {
  private _press: Press | undefined;
  private _longPress: ReturnType<typeof setTimeout> | undefined;
  /** Set when a drag ends: the click that follows is the end of the drag, not a tap on the card. */
  private _swallowClick = false;
  /** Where the dragging pointer is, and the frame that scrolls the page while it rests by an edge. */
  private _pointer = { x: 0, y: 0 };
  private _scrollFrame: number | undefined;
  /** When the edge scroll last stepped (a frame's timestamp), for its speed in pixels per second. */
  private _lastScrollAt: number | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly callbacks: BoardDragCallbacks,
  ) {
    host.addController(this);
  }

  /** True while a card is being dragged. */
  get dragging(): boolean {
    return this._press?.dragging === true;
  }

  hostConnected(): void {
    const host = this.host;
    host.addEventListener('pointerdown', this._onPointerDown);
    host.addEventListener('touchstart', this._onTouchStart, { passive: true });
    // Not passive: once a card is picked up, its moves must not scroll the page.
    host.addEventListener('touchmove', this._onTouchMove, { passive: false });
    host.addEventListener('touchend', this._onTouchEnd);
    host.addEventListener('touchcancel', this._onTouchCancel);
    host.addEventListener('contextmenu', this._onContextMenu);
    host.addEventListener('click', this._onClick, { capture: true });
  }

  hostDisconnected(): void {
    const host = this.host;
    host.removeEventListener('pointerdown', this._onPointerDown);
    host.removeEventListener('touchstart', this._onTouchStart);
    host.removeEventListener('touchmove', this._onTouchMove);
    host.removeEventListener('touchend', this._onTouchEnd);
    host.removeEventListener('touchcancel', this._onTouchCancel);
    host.removeEventListener('contextmenu', this._onContextMenu);
    host.removeEventListener('click', this._onClick, { capture: true });
    this._end(false);
  }

  private _begin(event: Event, x: number, y: number): boolean {
    this._swallowClick = false;
    if (this._press) return false;
    const index = this.callbacks.canDrag() ? draggableIndex(event.composedPath()) : undefined;
    if (index === undefined) return false;
    this._press = { index, x, y, dragging: false, moved: false };
    return true;
  }

  private _pickUp(): void {
    const press = this._press;
    if (!press || press.dragging) return;
    press.dragging = true;
    window.getSelection()?.removeAllRanges();
    this.callbacks.start(press.index, press.x, press.y);
  }

  /**
   * Ends the press: drops the card (or cancels the drag) if one was picked up; `select` ends a
   * long press that never moved, which selects the card instead.
   */
  private _end(drop: boolean, select = false): void {
    clearTimeout(this._longPress);
    this._longPress = undefined;
    window.removeEventListener('pointermove', this._onPointerMove);
    window.removeEventListener('pointerup', this._onPointerUp);
    window.removeEventListener('pointercancel', this._onPointerCancel);
    window.removeEventListener('keydown', this._onKeydown, { capture: true });
    this._stopEdgeScroll();
    const press = this._press;
    this._press = undefined;
    if (!press?.dragging) return;
    this._swallowClick = true;
    if (select && !press.moved) {
      this.callbacks.cancel();
      this.callbacks.select(press.index);
    } else if (drop) this.callbacks.drop();
    else this.callbacks.cancel();
  }

  private _onPointerDown = (event: PointerEvent) => {
    if (event.pointerType === 'touch' || event.button !== 0) return;
    if (!this._begin(event, event.clientX, event.clientY)) return;
    window.addEventListener('pointermove', this._onPointerMove);
    window.addEventListener('pointerup', this._onPointerUp);
    window.addEventListener('pointercancel', this._onPointerCancel);
    window.addEventListener('keydown', this._onKeydown, { capture: true });
  };

  private _onPointerMove = (event: PointerEvent) => {
    const press = this._press;
    if (!press) return;
    if (!press.dragging && Math.hypot(event.clientX - press.x, event.clientY - press.y) >= MOUSE_DRAG_THRESHOLD_PX) this._pickUp();
    if (!press.dragging) return;
    event.preventDefault();
    this._dragTo(event.clientX, event.clientY);
  };

  /** Moves the dragged card, and scrolls the page while it is held by the window's edge. */
  private _dragTo(x: number, y: number): void {
    this._pointer = { x, y };
    this.callbacks.move(x, y);
    if (edgeScrollSpeed(y) !== 0 && this._scrollFrame === undefined) {
      this._lastScrollAt = undefined;
      this._scrollFrame = requestAnimationFrame(this._edgeScroll);
    }
  }

  private _edgeScroll = (now: number) => {
    this._scrollFrame = undefined;
    const speed = edgeScrollSpeed(this._pointer.y);
    if (!this.dragging || speed === 0) return;
    const elapsed = this._lastScrollAt === undefined ? EDGE_SCROLL_FIRST_FRAME_MS : Math.min(EDGE_SCROLL_MAX_FRAME_MS, Math.max(0, now - this._lastScrollAt));
    this._lastScrollAt = now;
    const before = window.scrollY;
    window.scrollBy(0, Math.sign(speed) * Math.max(1, Math.round((Math.abs(speed) * elapsed) / 1000)));
    if (window.scrollY === before) return; // at the top or the end: nothing more to scroll
    // The cards moved under a pointer that did not: where it points now is another place.
    this.callbacks.move(this._pointer.x, this._pointer.y);
    this._scrollFrame = requestAnimationFrame(this._edgeScroll);
  };

  private _stopEdgeScroll(): void {
    if (this._scrollFrame !== undefined) cancelAnimationFrame(this._scrollFrame);
    this._scrollFrame = undefined;
  }

  private _onPointerUp = () => this._end(true);
  private _onPointerCancel = () => this._end(false);

  private _onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !this.dragging) return;
    event.preventDefault();
    event.stopPropagation();
    this._end(false);
  };

  private _onTouchStart = (event: TouchEvent) => {
    const touch = event.touches.length === 1 ? event.touches[0] : undefined;
    if (!touch) {
      this._end(false);
      return;
    }
    if (!this._begin(event, touch.clientX, touch.clientY)) return;
    this._longPress = setTimeout(() => this._pickUp(), APP.DRAG_LONG_PRESS_MS);
  };

  private _onTouchMove = (event: TouchEvent) => {
    const press = this._press;
    const touch = event.touches[0];
    if (!press || !touch) return;
    if (press.dragging) {
      if (event.cancelable) event.preventDefault();
      if (!press.moved && Math.hypot(touch.clientX - press.x, touch.clientY - press.y) <= TOUCH_SLOP_PX) return;
      press.moved = true;
      this._dragTo(touch.clientX, touch.clientY);
    } else if (Math.hypot(touch.clientX - press.x, touch.clientY - press.y) > TOUCH_SLOP_PX) {
      // A swipe: the browser scrolls, and this press is over.
      this._end(false);
    }
  };

  private _onTouchEnd = (event: TouchEvent) => {
    // Cancelling the end of a drag stops the browser from making it a click.
    if (this.dragging && event.cancelable) event.preventDefault();
    this._end(true, true);
  };

  private _onTouchCancel = () => this._end(false);

  private _onContextMenu = (event: Event) => {
    // A long press opens the context menu on touch devices; here it picks the card up instead.
    if (this._press) event.preventDefault();
  };

  private _onClick = (event: Event) => {
    if (!this._swallowClick) return;
    this._swallowClick = false;
    event.preventDefault();
    event.stopPropagation();
  };
}

/**
 * The board index of the card cell (`.cell[data-index]`) an event started in, or undefined when
 * it started outside a card or on one of a card's controls.
 */
function draggableIndex(path: EventTarget[]): number | undefined {
  for (const target of path) {
    if (!(target instanceof HTMLElement)) continue;
    if (target.classList.contains('cell')) return Number(target.dataset.index);
    // Controls keep their own press: a drag never starts on a button, checkbox or editor.
    if (target.matches('button, input, textarea, select, a, label, [role="radio"], [role="radiogroup"]')) return undefined;
  }
  return undefined;
}

/** Pixels per second to scroll for a pointer at `y`: up (negative) near the top, down near the bottom, else 0. */
function edgeScrollSpeed(y: number): number {
  const fromTop = y;
  const fromBottom = window.innerHeight - y;
  const speed = (distance: number) => Math.ceil(EDGE_SCROLL_MAX_PX_PER_S * Math.min(1, (EDGE_SCROLL_ZONE_PX - Math.max(0, distance)) / EDGE_SCROLL_ZONE_PX));
  if (fromBottom < EDGE_SCROLL_ZONE_PX) return speed(fromBottom);
  if (fromTop < EDGE_SCROLL_ZONE_PX) return -speed(fromTop);
  return 0;
}
