/**
 * A Dexie live query as a Lit reactive controller: subscribes while the host is connected and
 * re-renders the host whenever the query's result changes in any tab.
 *
 * Dexie is not part of the first paint's code: it loads when the notes database opens, so a
 * query (which needs an open database) finds it loaded and subscribes a moment later.
 */
import type { Observable, Subscription } from 'dexie';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const loadLiveQuery = () => import('dexie').then(({ liveQuery }) => liveQuery);

export class LiveQueryController<T> implements ReactiveController {
  value: T | undefined;
  error: unknown;
  private subscription: Subscription | undefined;
  private querier: (() => Promise<T>) | undefined;
  /** Counts subscriptions asked for: one that finds a newer asked for once Dexie is in hand gives way. */
  private subscriptions = 0;
  private connected = false;
  /** The database read from, or being opened (see showEarly). */
  private openingName: string | undefined;
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
   * the new one arrives (the same data, another window of it); otherwise it is cleared at once
   * (say, another account's database).
   */
  setQuery(querier: (() => Promise<T>) | undefined, options: { keepValue?: boolean } = {}): void {
    this.querier = querier;
    if (!options.keepValue) this.value = undefined;
    this.subscribe();
  }

  /** The database the next query reads is opening: a value read from it another way may be shown meanwhile (showEarly). */
  opening(name: string): void {
    this.openingName = name;
  }

  /**
   * Shows `value`, read from database `name` another way just before (a cold start's first
   * reads), until the query answers: only while that database is the one opening and nothing
   * newer is shown.
   */
  showEarly(name: string, value: T): void {
    if (this.openingName !== name || this.querier || this.value !== undefined) return;
    this.value = value;
    this.host.requestUpdate();
    this.answer();
  }

  /** Whether what is shown was read another way (showEarly) and no query reads the database yet. */
  get showsEarly(): boolean {
    return this.value !== undefined && this.querier === undefined;
  }

  /**
   * Queries database `name` (undefined: none, while another opens) from now on; what showEarly
   * showed of it stays until the query answers.
   */
  setDatabaseQuery(name: string | undefined, querier: (() => Promise<T>) | undefined): void {
    const shownEarly = name !== undefined && name === this.openingName;
    this.openingName = name;
    this.setQuery(querier, { keepValue: shownEarly });
  }

  hostConnected(): void {
    this.connected = true;
    this.subscribe();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.subscriptions++;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private subscribe(): void {
    const asked = ++this.subscriptions;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    const querier = this.querier;
    if (!querier || !this.connected) return;
    loadLiveQuery().then(
      (liveQuery) => {
        if (asked === this.subscriptions) this.follow(liveQuery(querier));
      },
      // Dexie could not be downloaded: the query fails like one that could not read.
      (error: unknown) => {
        if (asked === this.subscriptions) this.failed(error);
      },
    );
  }

  private follow(query: Observable<T>): void {
    this.subscription = query.subscribe({
      next: (value) => {
        this.value = value;
        this.error = undefined;
        this.host.requestUpdate();
        this.answer();
      },
      error: this.failed,
    });
  }

  private readonly failed = (error: unknown): void => {
    this.error = error;
    this.onError?.(error);
    this.host.requestUpdate();
    this.answer();
  };
}
