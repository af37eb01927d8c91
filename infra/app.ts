import { defineApp } from "./stack";

defineApp();
