import { installAllclose } from '../src/testing/index.js';

installAllclose();
