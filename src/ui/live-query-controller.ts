/**
 * A Dexie live query as a Lit reactive controller: subscribes while the host is connected and
 * re-renders the host whenever the query's result changes in any tab.
 */
import { liveQuery, type Subscription } from 'dexie';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class LiveQueryController<T> implements ReactiveController {
  value: T | undefined;
  error: unknown;
  private subscription: Subscription | undefined;
  private querier: (() => Promise<T>) | undefined;
  private answer!: () => void;
  /** Resolves once a query first answers (a result or an error). */
  readonly firstAnswer = new Promise<void>((resolve) => (this.answer = resolve));

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onError?: (error: unknown) => void,
  ) {
    host.addController(this);
  }

  /**
   * Replaces the query; undefined stops querying. `keepValue` keeps showing the last result until
   * the new one arrives (the same data, another window of it, or what show() gave); otherwise it
   * is cleared at once (say, another account's database).
   */
  setQuery(querier: (() => Promise<T>) | undefined, options: { keepValue?: boolean } = {}): void {
    this.querier = querier;
    if (!options.keepValue) this.value = undefined;
    this.subscribe();
  }

  /** Shows `value` until the query answers: what it would answer, read another way just before. */
  show(value: T): void {
    this.value = value;
    this.host.requestUpdate();
    this.answer();
  }

  hostConnected(): void {
    this.subscribe();
  }

  hostDisconnected(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private subscribe(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    const querier = this.querier;
    if (!querier) return;
    this.subscription = liveQuery(querier).subscribe({
      next: (value) => {
        this.value = value;
        this.error = undefined;
        this.host.requestUpdate();
        this.answer();
      },
      error: (error: unknown) => {
        this.error = error;
        this.onError?.(error);
        this.host.requestUpdate();
        this.answer();
      },
    });
  }
}
