import { z } from 'zod';

// zod compiles schemas with `new Function` when it may; our Content-Security-Policy forbids
// eval, so it would log a CSP violation at every start before falling back. Use the fallback.
z.config({ jitless: true });
