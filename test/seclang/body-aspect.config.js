// as-pect config that runs only the body-processor specs: npx asp --config test/seclang/body-aspect.config.js
import base from '../../as-pect.config.js';

export default { ...base, entries: ['assembly/__tests__/seclang-body*.spec.ts'] };
