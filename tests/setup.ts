import { expect } from 'vitest';
import { installAllclose } from '../src/testing/index.js';

installAllclose(expect);
