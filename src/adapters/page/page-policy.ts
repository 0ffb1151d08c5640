import { createHash } from 'node:crypto';
import { contentPolicy } from '../../page/content-policy.ts';

/** The policy of a page that inlines `css`. */
export const pagePolicy = (css: string): string => contentPolicy(createHash('sha256').update(css).digest('base64'));
