/**
 * Entry point: the styles and the app shell, nothing else. Everything that is not needed for the
 * first paint (the service worker, and later Firebase) is loaded by the shell afterwards. The
 * start's reads begin before this module is even loaded: index.html runs src/boot.ts ahead of it
 * (scripts/early-start-reads.ts).
 */
import './theme.css';
import './ui/notes-app.js';
