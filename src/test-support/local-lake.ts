/** A `file://` lake for feature tests, which may use the pipeline only through its entry. */
export { createLocalLake } from '../pipeline/lake/local-lake.js';
