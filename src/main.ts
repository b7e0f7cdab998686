/**
 * Entry point: the start's reads, the styles and the app shell, nothing else. Everything that is
 * not needed for the first paint (the service worker, and later Firebase) is loaded by the shell
 * afterwards. Imports run in this order: boot.js first, so its reads overlap the shell's start.
 */
import './boot.js';
import './theme.css';
import './ui/notes-app.js';
