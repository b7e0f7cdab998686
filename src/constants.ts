/** Every storage key and timeout of the app in one place, with units in the names. */
export const APP = {
  /** IndexedDB database of the notes kept on this device without an account. */
  GUEST_DB_NAME: 'roaming-notes-guest',
  /** Each account's notes live in their own database, named this prefix plus the account's uid. */
  ACCOUNT_DB_PREFIX: 'roaming-notes-user-',
  /**
   * Small settings (not notes) live in idb-keyval's database; these are idb-keyval's own default
   * names, so values saved before src/platform/keyval.ts existed are still found.
   */
  KEYVAL_DB_NAME: 'keyval-store',
  KEYVAL_STORE_NAME: 'keyval',
  /** idb-keyval keys. */
  DEVICE_ID_KEY: 'device-id',
  PERSIST_ASKED_KEY: 'storage-persist-asked',
  /** The account signed in last, so its notes open before Firebase has loaded. */
  LAST_ACCOUNT_KEY: 'last-account',
  /**
   * BroadcastChannel on which a tab says an account signed in, so a guest tab that has not loaded
   * sign-in (Firebase Auth shares a session between tabs only where it runs) loads it and follows.
   */
  SIGN_IN_CHANNEL_NAME: 'roaming-notes-sign-in',
  /** This device's push channel (uid, token, channel id) once notifications are turned on. */
  PUSH_CHANNEL_KEY: 'push-channel',
  /** localStorage: the notes database opened last, whose first screen a start reads at once (src/platform/start-reads.ts). */
  LAST_NOTES_DB_KEY: 'roaming-notes.last-notes-database',
  /** localStorage: the address an email sign-in link was sent to, to finish it in this browser. */
  EMAIL_FOR_SIGN_IN_KEY: 'roaming-notes.email-for-sign-in',
  /**
   * localStorage: the board's width as last measured, with the window's width then, so a start in
   * a window of the same width lays out its first cards before the board has been measured.
   */
  BOARD_WIDTH_KEY: 'roaming-notes.board-width',
  /** sessionStorage: the label the board is filtered by, kept for the session (reloads included). */
  LABEL_FILTER_KEY: 'roaming-notes.label-filter',
  /** Longest wait for the channel delete and token delete at sign-out (offline they never finish). */
  PUSH_SIGN_OUT_TIMEOUT_MS: 5_000,
  /** How long the app waits for a note opened from a notification to arrive (sync may bring it). */
  OPEN_NOTE_WAIT_MS: 10_000,
  /** Quiet time after the last keystroke before an edited note is saved. */
  SAVE_DEBOUNCE_MS: 400,
  /** How long the "moved to trash — Undo" snackbar stays up. */
  UNDO_SNACKBAR_MS: 6_000,
  /** How long an informational snackbar stays up. */
  MESSAGE_SNACKBAR_MS: 5_000,
  /** The board is read from the database in pages of this many notes (a screenful or two). */
  BOARD_WINDOW_PAGE_NOTES: 40,
  /** Cards rendered above and below the visible part of the board, in rows. */
  BOARD_OVERSCAN_ROWS: 3,
  /** How long a finger rests on a card before it is picked up to reorder (shorter is a tap or a swipe). */
  DRAG_LONG_PRESS_MS: 450,
  /** How often an open sign-in window is checked for being closed (Firebase itself says so only ~10 s later). */
  SIGN_IN_WINDOW_POLL_MS: 100,
  /** Longest wait for the service worker before "Turn on notifications" says it cannot work. */
  SERVICE_WORKER_READY_TIMEOUT_MS: 4_000,
} as const;
