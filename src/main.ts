/**
 * Entry point: the styles and the app shell, nothing else. Everything that is not needed for the
 * first paint (the service worker, and later Firebase) is loaded by the shell afterwards.
 */
import './theme.css';
import './ui/notes-app.js';
