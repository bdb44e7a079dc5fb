"""Chart kinds: the chart data every renderer reads, and the Plotly and native
PowerPoint renderings of it."""
