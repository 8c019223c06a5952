# expect: async function
# at: 3:1
async def f():
    pass
