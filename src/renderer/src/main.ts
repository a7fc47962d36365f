import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'
import { stream } from './state/stream.svelte'

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')

mount(App, { target })
// Connect after mounting so the status indicator is on screen from the first attempt.
stream.connect()
