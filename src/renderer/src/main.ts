import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'
import { createPage } from './page'

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')

const layers = createPage()
mount(App, { target, props: { layers } })
// Connect after mounting so the status indicator is on screen from the first attempt.
layers.session.connect()
