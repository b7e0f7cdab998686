/** The gapi stand-in is shared with the benchmarks, so it lives in testing/gapi-stand-in.ts. */
export { serveGapiStandIn } from '../../testing/gapi-stand-in.js';
